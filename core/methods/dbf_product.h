#pragma once
// y = Ŵ·x for a double binary factorisation (double_binary.h), straight from its bits:
//   Ŵ = diag(a)·S1·diag(m)·S2·diag(b),   y = a ⊙ (S1·(m ⊙ (S2·(b ⊙ x)))),
// both sign matrices through sign_matrix_product.h (deterministic, any thread count).

#include <cstddef>
#include <span>
#include <vector>

#include "scd/sign_matrix.h"
#include "tensor/tensor.h"

namespace signcut {

// The stored form of a DBF, packed for products. Scales as f32 (they are stored as f16,
// which f32 holds exactly).
struct DbfFactors {
    std::vector<float> a, m, b;  // row (rows), middle (k) and column (cols) scales
    SignMatrix s1;               // rows × k
    SignMatrix s2;               // k × cols

    std::size_t rows() const { return s1.rows(); }
    std::size_t cols() const { return s2.cols(); }
    std::size_t middle() const { return s2.rows(); }
    // Bytes a product reads: the sign bits and the scales.
    std::size_t bytes() const { return s1.bytes() + s2.bytes() + (a.size() + m.size() + b.size()) * sizeof(float); }
};

// y (rows × batch) = Ŵ·x (cols × batch), both row-major, batch ≥ 1. Throws
// std::invalid_argument for factors of mismatched sizes or spans of the wrong size.
void dbf_product(const DbfFactors& f, std::span<const float> x, std::size_t batch, std::span<float> y);
// x of shape (cols) or (cols, b): a tensor of shape (rows) or (rows, b); one clear error when
// x's first dimension is not cols.
Tensor dbf_product(const DbfFactors& f, const Tensor& x);

}  // namespace signcut
