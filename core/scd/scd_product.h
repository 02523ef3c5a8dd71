#pragma once
// y = Â·x for a signed cut decomposition, straight from its bits:
//   Â_w = S·diag(c)·Tᵀ   (S = [s_0 … s_{w−1}] the first mode's signs, T the other modes'),
//   y   = S·(c ⊙ (Tᵀ·x)),   both sign matrices through sign_matrix_product.h,
// plus the entries kept apart by width w (scd/outliers.h), one multiply-add each.
// Orders ≥ 3 multiply the unfolding n_0 × (n_1·…·n_{k−1}) (the tensor's C order, as
// Tensor::reshaped gives it): T's column j is then the sign vector t_j^(1) ⊗ … ⊗ t_j^(k−1),
// expanded once when the product is prepared (w·n_1·…·n_{k−1} bits instead of w·Σ n_i; fine
// for an image's three channels, not meant for tall tensors).

#include <cstddef>
#include <span>

#include "scd/decomposition.h"
#include "scd/sign_matrix.h"
#include "tensor/tensor.h"

namespace signcut {

// The first w cuts of a decomposition packed for products (packing costs about one product's
// worth of work; keep the object to multiply many times).
class ScdProduct {
public:
    // Throws std::invalid_argument unless d has order ≥ 2 and w ≤ d.width().
    ScdProduct(const Decomposition& d, std::size_t w);

    std::size_t rows() const { return left_.rows(); }   // n_0
    std::size_t cols() const { return right_.cols(); }  // n_1·…·n_{k−1}
    std::size_t width() const { return coeffs_.size(); }
    // Bytes a product reads: the sign bits and the coefficients.
    std::size_t bytes() const {
        return left_.bytes() + right_.bytes() + coeffs_.size() * sizeof(float) + apart_.size() * sizeof(Entry);
    }

    // y (rows() × batch) = Â_w·x (cols() × batch), both row-major; any batch ≥ 1. Throws
    // std::invalid_argument for spans of the wrong size.
    void apply(std::span<const float> x, std::size_t batch, std::span<float> y) const;

private:
    SignMatrix left_;   // S: rows() × w, column j the first mode's signs of cut j
    SignMatrix right_;  // Tᵀ: w × cols(), row j the other modes' signs of cut j
    std::vector<float> coeffs_;
    struct Entry {  // an entry kept apart, at (row, col) of the unfolding
        std::uint32_t row, col;
        float value;
    };
    std::vector<Entry> apart_;
};

// y = Â_w·x for x of shape (cols) or (cols, b), b ≥ 1: a tensor of shape (rows) or (rows, b).
// Throws std::invalid_argument naming both lengths when x's first dimension is not cols.
Tensor scd_product(const Decomposition& d, std::size_t w, const Tensor& x);
// The same on a prepared product.
Tensor scd_product(const ScdProduct& product, const Tensor& x);

}  // namespace signcut
