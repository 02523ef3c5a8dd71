#pragma once
// A seeded random orthogonal transform of rows of any length n, with no padding:
//     Q = (H_s ⊗ C_r) · D,   n = s · r, s the largest power of two dividing n, r odd,
// D random signs on all n entries, H_s the orthonormal Walsh–Hadamard transform and C_r the
// orthonormal DCT-II with random column signs (kashin_basis). A row is read as an s × r
// matrix X (entry i = k·r + j); Q x is then H_s · (X · C_rᵀ): the DCT of every length-r piece
// (one matrix product for all rows at once), then butterflies between the pieces.
// Q spreads every row's energy over all its entries, so after it the entries of any row look
// Gaussian, while each row keeps its own energy (rows are never mixed).
// Cost per row: n·(r + log₂ s) multiply–adds.

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace signcut {

class RandomRotation {
public:
    RandomRotation(std::size_t n, std::uint64_t seed);
    std::size_t length() const { return signs_.size(); }
    // Every row of a rows × n matrix, in place: x ← Q x, or the inverse x ← Qᵀ x.
    void rotate_rows(Tensor& matrix) const;
    void unrotate_rows(Tensor& matrix) const;

private:
    void flip_signs(float* rows, std::size_t count) const;  // D on `count` rows

    std::size_t pieces_;          // s
    std::size_t piece_length_;    // r
    std::vector<float> signs_;    // D
    std::vector<float> cosines_;  // C_r, r × r row-major
};

// In-place orthonormal fast Walsh–Hadamard transform over `count` pieces of `piece_length`
// entries each (count a power of two): the butterflies act on whole pieces.
void hadamard_transform_pieces(float* x, std::size_t count, std::size_t piece_length);

}  // namespace signcut
