#pragma once
// Sums along the columns of a row-major residual R (rows × line floats, line = cols · c, c
// channels interleaved), each entry computed by the same float operations in the same order as
// MatrixCutEngine's kernels compute it from the rows of Rᵀ: what lets the engine drop Rᵀ
// (half its memory) without changing a bit of its results.

#include <cstddef>
#include <cstdint>
#include <span>

namespace signcut {

// image[(i − i0)·c + k] += ±R[i, columns[f], k] for f = 0, 1, … in order (− where bit columns[f]
// of `signs` is set), rows i in [i0, i1): per entry the adds of accumulate_rows over the rows
// columns[f] of Rᵀ. Several rows run side by side (independent chains).
void add_columns(const float* r, std::size_t line, std::size_t channels, std::size_t i0, std::size_t i1,
                 std::span<const std::size_t> columns, const std::uint64_t* signs, float* image);

// images[v][(k − k0)·c + ch] = ½ Σ_i ±R[i, k, ch] over the rows i in order (− where bit i of
// signs[v] is set), for the columns k in [k0, k1) and count sign vectors at once: per entry what
// MatrixCutEngine's line images compute from row k of Rᵀ: for c = 1 signed_sum's canonical
// order (row i into lane i mod 16, the lanes folded 8, 4, 2, 1), for c > 1 one chain from +0.
inline constexpr std::size_t kMaxColumnImages = 2;
void column_images(const float* r, std::size_t rows, std::size_t line, std::size_t channels, std::size_t k0,
                   std::size_t k1, const std::uint64_t* const* signs, std::size_t count, float* const* images);

}  // namespace signcut
