#include "methods/baselines.h"

#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "io/bit_stream.h"

#include "tensor/float16.h"

namespace signcut {
namespace {

float to_f16(float x) { return f16_bits_to_float(float_to_f16_bits(x)); }
float to_bf16(float x) { return bf16_bits_to_float(float_to_bf16_bits(x)); }

constexpr std::uint64_t kHeaderBits = 4;  // the extra component's width b (0: none)

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// U_k Σ_k V_kᵀ of the stored columns, as a rows × cols tensor.
Tensor product_of(const Eigen::MatrixXf& left, const Eigen::MatrixXf& right) {
    Tensor out({std::size_t(left.rows()), std::size_t(right.rows())});
    Eigen::Map<RowMatrix>(out.data().data(), left.rows(), right.rows()) = left * right.transpose();
    return out;
}

}  // namespace

Approximation round_to_f16(const Tensor& matrix) {
    Approximation a{matrix, 16ull * matrix.size(), {}, true};
    for (float& x : a.reconstruction.data()) x = to_f16(x);
    return a;
}

Approximation round_to_bf16(const Tensor& matrix) {
    Approximation a{matrix, 16ull * matrix.size(), {}, true};
    for (float& x : a.reconstruction.data()) x = to_bf16(x);
    return a;
}

std::uint64_t svd_minimum_bits(std::size_t rows, std::size_t cols) { return kHeaderBits + 2 * (rows + cols) + 32; }

TruncatedSvd::TruncatedSvd(const Tensor& matrix) : rows_(matrix.dim(0)), cols_(matrix.dim(1)) {
    const Eigen::Map<const RowMatrix> a(matrix.data().data(), Eigen::Index(rows_), Eigen::Index(cols_));
    const Eigen::BDCSVD<Eigen::MatrixXf> svd(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
    left_ = svd.matrixU() * svd.singularValues().asDiagonal();
    right_ = svd.matrixV();
}

std::size_t TruncatedSvd::rank_for_bits(double bits_per_entry) const {
    const double per_rank = 16.0 * double(rows_ + cols_);
    const double budget = bits_per_entry * double(rows_ * cols_) - double(kHeaderBits);
    return budget > 0 ? std::min(std::min(rows_, cols_), std::size_t(budget / per_rank)) : 0;
}

int TruncatedSvd::extra_component_bits(double bits_per_entry) const {
    const std::size_t rank = rank_for_bits(bits_per_entry);
    if (Eigen::Index(rank) >= left_.cols()) return 0;
    const double left_over =
        bits_per_entry * double(rows_ * cols_) - double(kHeaderBits) - 16.0 * double(rank * (rows_ + cols_)) - 32.0;
    const int b = left_over > 0 ? int(std::min(15.0, std::floor(left_over / double(rows_ + cols_)))) : 0;
    return b >= 2 ? b : 0;
}

Approximation TruncatedSvd::at_bits(double bits_per_entry) const {
    const double per_rank = 16.0 * double(rows_ + cols_);
    const auto rank = Eigen::Index(rank_for_bits(bits_per_entry));
    const int extra = extra_component_bits(bits_per_entry);
    if (rank == 0 && extra == 0)
        return unmet("rank 1 at 2 bits needs " +
                     std::to_string((2.0 * double(rows_ + cols_) + 36) / double(rows_ * cols_)) + " bits per entry");
    // Component `rank` at int-b: each vector rounded to b bits with an f16 absmax scale; the
    // codes (v + levels, 0 … 2^b − 2) go to the stored form.
    const float levels = float((1 << (extra > 0 ? extra - 1 : 1)) - 1);
    BitWriter payload;
    payload.put(std::uint64_t(extra), 4);
    const auto int_b = [&](const Eigen::VectorXf& x) -> Eigen::VectorXf {
        const float scale = to_f16(x.cwiseAbs().maxCoeff() / levels);
        payload.put_f16(float_to_f16_bits(scale));
        Eigen::VectorXf out = Eigen::VectorXf::Zero(x.size());
        for (Eigen::Index i = 0; i < x.size(); ++i) {
            const float v = scale == 0.0f ? 0.0f : std::clamp(std::nearbyint(x[i] / scale), -levels, levels);
            payload.put(std::uint64_t(v + levels), unsigned(extra));
            out[i] = v * scale;
        }
        return out;
    };
    const Eigen::Index stored = rank + (extra > 0 ? 1 : 0);
    Eigen::MatrixXf left = left_.leftCols(stored).unaryExpr(&to_bf16),
                    right = right_.leftCols(stored).unaryExpr(&to_bf16);
    for (const Eigen::MatrixXf* factor : {&left, &right})
        for (Eigen::Index j = 0; j < rank; ++j)
            for (Eigen::Index i = 0; i < factor->rows(); ++i) payload.put(float_to_bf16_bits((*factor)(i, j)), 16);
    if (extra > 0) {
        left.col(rank) = int_b(left_.col(rank));
        right.col(rank) = int_b(right_.col(rank));
    }
    const std::uint64_t bits = kHeaderBits + std::uint64_t(rank) * std::uint64_t(per_rank) +
                               (extra > 0 ? std::uint64_t(extra) * (rows_ + cols_) + 32 : 0);
    const std::string note =
        "rank " + std::to_string(rank) + (extra > 0 ? " + one at int" + std::to_string(extra) : "");
    Approximation out{product_of(left, right), bits, note, true};
    out.payload = payload.finish_exactly(bits, "svd");
    return out;
}

Tensor load_truncated_svd(std::span<const char> payload, const Shape& shape) {
    const std::size_t rows = shape.at(0), cols = shape.at(1);
    BitReader in(payload);
    const int extra = int(in.get(4));
    if (!in.ok() || extra == 1) throw std::invalid_argument("svd payload: bad header");
    // The rank is what the length leaves for bf16 components (each 16·(m + n) > 8 bits, so the
    // padding of the last byte cannot hide one).
    const std::uint64_t extra_bits = extra > 0 ? std::uint64_t(extra) * (rows + cols) + 32 : 0;
    const std::uint64_t per_rank = 16 * std::uint64_t(rows + cols);
    const std::uint64_t total = 8 * std::uint64_t(payload.size());
    const std::uint64_t rank = total >= kHeaderBits + extra_bits ? (total - kHeaderBits - extra_bits) / per_rank : 0;
    const std::uint64_t bits = kHeaderBits + rank * per_rank + extra_bits;
    if ((bits + 7) / 8 != payload.size() || rank > std::min(rows, cols) || (rank == 0 && extra == 0))
        throw std::invalid_argument("svd payload: " + std::to_string(payload.size()) +
                                    " bytes do not hold whole components of a " + shape_to_string(shape) + " matrix");
    const auto stored = Eigen::Index(rank) + (extra > 0 ? 1 : 0);
    Eigen::MatrixXf left(Eigen::Index(rows), stored), right(Eigen::Index(cols), stored);
    for (Eigen::MatrixXf* factor : {&left, &right})
        for (Eigen::Index j = 0; j < Eigen::Index(rank); ++j)
            for (Eigen::Index i = 0; i < factor->rows(); ++i)
                (*factor)(i, j) = bf16_bits_to_float(std::uint16_t(in.get(16)));
    if (extra > 0) {
        const float levels = float((1 << (extra - 1)) - 1);
        for (Eigen::MatrixXf* factor : {&left, &right}) {
            const float scale = f16_bits_to_float(std::uint16_t(in.get(16)));
            for (Eigen::Index i = 0; i < factor->rows(); ++i)
                (*factor)(i, stored - 1) = (float(in.get(unsigned(extra))) - levels) * scale;
        }
    }
    return product_of(left, right);
}

Approximation truncated_svd(const Tensor& matrix, double bits_per_entry) {
    return TruncatedSvd(matrix).at_bits(bits_per_entry);
}

}  // namespace signcut
