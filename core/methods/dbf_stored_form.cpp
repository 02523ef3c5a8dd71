#include "methods/dbf_stored_form.h"

#include <stdexcept>
#include <string>

#include "io/bit_stream.h"
#include "methods/double_binary.h"
#include "methods/parallel_product.h"
#include "tensor/float16.h"

namespace signcut {
namespace {

Eigen::MatrixXd signs_of(const SignMatrix& s) {
    Eigen::MatrixXd out(Eigen::Index(s.rows()), Eigen::Index(s.cols()));
    for (std::size_t r = 0; r < s.rows(); ++r)
        for (std::size_t c = 0; c < s.cols(); ++c)
            out(Eigen::Index(r), Eigen::Index(c)) = s.is_negative(r, c) ? -1.0 : 1.0;
    return out;
}

Eigen::VectorXd as_vector(const std::vector<float>& x) {
    return Eigen::Map<const Eigen::VectorXf>(x.data(), Eigen::Index(x.size())).cast<double>();
}

}  // namespace

Tensor dbf_reconstruction(const DbfFactors& f) {
    using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::VectorXd a = as_vector(f.a), m = as_vector(f.m), b = as_vector(f.b);
    const Eigen::MatrixXd product =
        a.asDiagonal() * parallel_product(signs_of(f.s1) * m.asDiagonal(), signs_of(f.s2)) * b.asDiagonal();
    Tensor out({f.rows(), f.cols()});
    Eigen::Map<RowMatrix>(out.data().data(), Eigen::Index(f.rows()), Eigen::Index(f.cols())) = product.cast<float>();
    return out;
}

std::vector<char> dbf_payload(const DbfFactors& f) {
    BitWriter out;
    for (const std::vector<float>* scales : {&f.a, &f.m, &f.b})
        for (float x : *scales) out.put_f16(float_to_f16_bits(x));
    for (const SignMatrix* s : {&f.s1, &f.s2})
        for (std::size_t r = 0; r < s->rows(); ++r)
            for (std::size_t c = 0; c < s->cols(); ++c) out.put(s->is_negative(r, c), 1);
    return out.finish_exactly(dbf_bits(f.rows(), f.cols(), f.middle()), "dbf");
}

DbfFactors load_dbf_factors(std::span<const char> payload, const Shape& shape) {
    const std::size_t rows = shape.at(0), cols = shape.at(1);
    const std::uint64_t total = 8 * std::uint64_t(payload.size()), fixed = 16 * std::uint64_t(rows + cols);
    const std::uint64_t middle = total > fixed ? (total - fixed) / (rows + cols + 16) : 0;
    if (middle == 0 || (dbf_bits(rows, cols, middle) + 7) / 8 != payload.size())
        throw std::invalid_argument("dbf payload: " + std::to_string(payload.size()) +
                                    " bytes do not hold a whole factorisation of a " + shape_to_string(shape) +
                                    " matrix");
    BitReader in(payload);
    DbfFactors f;
    for (auto [scales, count] : {std::pair{&f.a, rows}, std::pair{&f.m, std::size_t(middle)}, std::pair{&f.b, cols}})
        for (std::size_t i = 0; i < count; ++i) scales->push_back(f16_bits_to_float(std::uint16_t(in.get(16))));
    const auto signs = [&](std::size_t r, std::size_t c) {
        std::vector<std::uint8_t> bits(r * c);
        for (std::uint8_t& bit : bits) bit = std::uint8_t(in.get(1));
        return SignMatrix::from_entries(r, c, [&](std::size_t i, std::size_t j) { return bits[i * c + j] != 0; });
    };
    f.s1 = signs(rows, middle);
    f.s2 = signs(middle, cols);
    return f;
}

Tensor load_double_binary(std::span<const char> payload, const Shape& shape) {
    return dbf_reconstruction(load_dbf_factors(payload, shape));
}

}  // namespace signcut
