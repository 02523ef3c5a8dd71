// The dbf product of dbf_product.h: scale, binary, scale, binary, scale.
#include "methods/dbf_product.h"

#include <stdexcept>
#include <string>

#include "scd/sign_matrix_product.h"

namespace signcut {
namespace {

// values[i·batch + v] *= scales[i]
void scale_rows(std::span<float> values, std::span<const float> scales, std::size_t batch) {
    for (std::size_t i = 0; i < scales.size(); ++i)
        for (std::size_t v = 0; v < batch; ++v) values[i * batch + v] *= scales[i];
}

}  // namespace

void dbf_product(const DbfFactors& f, std::span<const float> x, std::size_t batch, std::span<float> y) {
    if (f.s1.cols() != f.s2.rows() || f.a.size() != f.rows() || f.m.size() != f.middle() || f.b.size() != f.cols())
        throw std::invalid_argument("dbf product: the factors' sizes do not match");
    if (batch == 0 || x.size() != f.cols() * batch || y.size() != f.rows() * batch)
        throw std::invalid_argument("dbf product: x must hold " + std::to_string(f.cols()) + " × b and y " +
                                    std::to_string(f.rows()) + " × b floats, b ≥ 1");
    product_in_batches(f.cols(), f.rows(), x, batch, y,
                       [&](std::span<const float> xs, std::size_t b, std::span<float> ys) {
                           std::vector<float> u(xs.begin(), xs.end()), v(f.middle() * b);
                           scale_rows(u, f.b, b);                // u = b ⊙ x
                           sign_matrix_product(f.s2, u, b, v);   // v = S2·u
                           scale_rows(v, f.m, b);                // v = m ⊙ v
                           sign_matrix_product(f.s1, v, b, ys);  // y = S1·v
                           scale_rows(ys, f.a, b);               // y = a ⊙ y
                       });
}

Tensor dbf_product(const DbfFactors& f, const Tensor& x) {
    if (x.order() < 1 || x.order() > 2 || x.dim(0) != f.cols())
        throw std::invalid_argument("dbf product: x must be a vector of length " + std::to_string(f.cols()) + " or a " +
                                    std::to_string(f.cols()) + " × b matrix, not " + shape_to_string(x.shape()));
    const std::size_t batch = x.order() == 2 ? x.dim(1) : 1;
    Tensor y(x.order() == 2 ? Shape{f.rows(), batch} : Shape{f.rows()});
    dbf_product(f, x.data(), batch, y.data());
    return y;
}

}  // namespace signcut
