#pragma once
// Kashin quantisation of a matrix: split X = U + Q1ᵀ V Q2 with Q1, Q2 orthogonal (randomised
// DCT: C·D with D random signs, applied as dense products, so nothing of size (mn)² is
// formed) so that both U and V have small ∞-norms, then store U and V row by row, each row at
// its own width b (0 … 8): entries scaled by the row's f16 absmax, rounded to the nearest of
// 2^b f16 centroids that 1-D k-means found on all of that factor's scaled entries (one table
// per factor and width up to the largest width c, which is chosen for the lowest error);
// width 0 stores the row's f16 mean. The widths of all rows of U
// and V are allocated together by reverse water-filling (bit_allocation.h): Q1 and Q2 are
// orthogonal, so an error in V costs what it costs in U.
// bits = 64 (the seed) + 4 (c) + the width codes (allocate_row_widths) + Σ_rows (16 + b·n)
//        + 2·Σ_{b ≤ c} 16·2^b.
// Stored form, in that order: seed, c, the width code (rows of U, then of V), the tables (U's
// widths 1 … c, then V's), then per row its f16 scale (or mean) and its b-bit centroid indices.
//
// The split is the greedy iterative truncation: clip the residual at K·rms into U, then clip
// its image Q1 R Q2ᵀ at K·rms into V, and repeat until ‖R‖ ≤ 1e-6‖X‖ or 40 rounds. Whatever
// is left after the last round goes into U, so X = U + Q1ᵀVQ2 always holds; the round count
// and whether it converged are reported.

#include <cstdint>
#include <span>

#include "methods/method.h"

namespace signcut {

inline constexpr double kKashinClip = 2.0;  // K: clipping level in units of the residual's rms

struct KashinSplit {
    Tensor u, v;  // X = U + Q1ᵀ V Q2
    int rounds = 0;
    bool converged = false;
};

// The orthonormal transform of a side of length n: DCT-II times random signs (from seed).
std::vector<float> kashin_basis(std::size_t n, std::uint64_t seed);

KashinSplit kashin_split(const Tensor& matrix, std::uint64_t seed);
// Q1ᵀ V Q2 for the bases of kashin_split with the same seed.
Tensor kashin_synthesis(const Tensor& v, std::uint64_t seed);

Approximation kashin_quantization(const Tensor& matrix, double bits_per_entry, std::uint64_t seed);
// The fewest bits its stored form of a rows × cols matrix takes (every row of U and V at width 0).
std::uint64_t kashin_minimum_bits(std::size_t rows);
// The reconstruction from its stored form; throws std::invalid_argument.
Tensor load_kashin_quantization(std::span<const char> payload, const Shape& shape);

// The 2^b centroids of 1-D k-means on `values` (sorted ascending), rounded to f16, ascending.
std::vector<float> kmeans_centroids(const std::vector<float>& sorted_values, int bits);

}  // namespace signcut
