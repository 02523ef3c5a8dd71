// The scd product of scd_product.h: y = S·(c ⊙ (Tᵀ·x)).
#include "scd/scd_product.h"

#include <oneapi/tbb/parallel_for.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "scd/sign_bits.h"
#include "scd/sign_matrix_product.h"

namespace signcut {
namespace {

// Cut j's signs over the unfolding's columns: t_j^(1) ⊗ … ⊗ t_j^(k−1) in C order, packed.
std::vector<std::uint64_t> unfolded_right_signs(const Decomposition& d, std::size_t w, std::size_t cols) {
    const std::size_t words = words_for_bits(cols), k = d.order();
    std::vector<std::uint64_t> out(w * words, 0);
    tbb::parallel_for(std::size_t(0), w, [&](std::size_t j) {
        const std::span<std::uint64_t> row(out.data() + j * words, words);
        std::vector<std::size_t> digit(k, 0);  // the column's index along modes 1 … k−1
        for (std::size_t c = 0; c < cols; ++c) {
            bool negative = false;
            for (std::size_t m = 1; m < k; ++m) negative ^= is_negative(d.signs(j, m), digit[m]);
            set_negative(row, c, negative);
            for (std::size_t m = k; m-- > 1;) {  // next column: the last mode's index runs fastest
                if (++digit[m] < d.shape()[m]) break;
                digit[m] = 0;
            }
        }
    });
    return out;
}

}  // namespace

ScdProduct::ScdProduct(const Decomposition& d, std::size_t w) {
    if (d.order() < 2) throw std::invalid_argument("scd product: the decomposition must have order 2 or more");
    if (w > d.width())
        throw std::invalid_argument("scd product: width " + std::to_string(w) + " exceeds the decomposition's " +
                                    std::to_string(d.width()) + " cuts");
    const std::size_t rows = d.shape()[0], cols = d.entries() / rows;
    left_ = SignMatrix::from_columns(rows, w, [&](std::size_t j) { return d.signs(j, 0).data(); });
    if (d.order() == 2) {
        right_ = SignMatrix::from_rows(w, cols, [&](std::size_t j) { return d.signs(j, 1).data(); });
    } else {
        const std::vector<std::uint64_t> signs = unfolded_right_signs(d, w, cols);
        right_ = SignMatrix::from_rows(w, cols, [&](std::size_t j) { return signs.data() + j * words_for_bits(cols); });
    }
    coeffs_.assign(d.coeffs().begin(), d.coeffs().begin() + std::ptrdiff_t(w));
    if (rows > UINT32_MAX || cols > UINT32_MAX)
        throw std::invalid_argument("scd product: sides beyond 2^32 are not supported");
    for (std::size_t e = 0; e < d.outlier_count(w); ++e) {
        const std::uint64_t index = d.outlier_indices()[e];  // C order: the unfolding's row-major index
        apart_.push_back({std::uint32_t(index / cols), std::uint32_t(index % cols), d.outlier_values()[e]});
    }
}

void ScdProduct::apply(std::span<const float> x, std::size_t batch, std::span<float> y) const {
    if (batch == 0 || x.size() != cols() * batch || y.size() != rows() * batch)
        throw std::invalid_argument("scd product: x must hold " + std::to_string(cols()) + " × b and y " +
                                    std::to_string(rows()) + " × b floats, b ≥ 1");
    if (width() == 0) std::fill(y.begin(), y.end(), 0.0f);
    else product_in_batches(cols(), rows(), x, batch, y, [&](std::span<const float> xs, std::size_t b, std::span<float> ys) {
        std::vector<float> z(width() * b);
        sign_matrix_product(right_, xs, b, z);  // z = Tᵀ·x
        for (std::size_t j = 0; j < width(); ++j)
            for (std::size_t v = 0; v < b; ++v) z[j * b + v] *= coeffs_[j];  // z = c ⊙ z
        sign_matrix_product(left_, z, b, ys);                                // y = S·z
    });
    // The entries kept apart, in their stored order after the cuts: the same sums whatever the threads.
    for (const Entry& e : apart_)
        for (std::size_t v = 0; v < batch; ++v) y[e.row * batch + v] += e.value * x[e.col * batch + v];
}

Tensor scd_product(const ScdProduct& product, const Tensor& x) {
    if (x.order() < 1 || x.order() > 2 || x.dim(0) != product.cols())
        throw std::invalid_argument("scd product: x must be a vector of length " + std::to_string(product.cols()) +
                                    " or a " + std::to_string(product.cols()) + " × b matrix, not " +
                                    shape_to_string(x.shape()));
    const std::size_t batch = x.order() == 2 ? x.dim(1) : 1;
    Tensor y(x.order() == 2 ? Shape{product.rows(), batch} : Shape{product.rows()});
    product.apply(x.data(), batch, y.data());
    return y;
}

Tensor scd_product(const Decomposition& d, std::size_t w, const Tensor& x) { return scd_product(ScdProduct(d, w), x); }

}  // namespace signcut
