#pragma once
// Kashin quantisation of a matrix: split X = U + Q1ᵀ V Q2 with Q1, Q2 orthogonal (randomised
// DCT: C·D with D random signs, applied as dense products, so nothing of size (mn)² is
// formed) so that both U and V have small ∞-norms, then store U and V with a few centroids
// each (b_u and b_v bits per entry, b_u − b_v ∈ {0, 1}, 1-D k-means on entries scaled by one
// f16 absmax per block of rows).
//
// The split is the greedy iterative truncation: clip the residual at K·rms into U, then clip
// its image Q1 R Q2ᵀ at K·rms into V, and repeat until ‖R‖ ≤ 1e-6‖X‖ or 40 rounds. Whatever
// is left after the last round goes into U, so X = U + Q1ᵀVQ2 always holds; the round count
// and whether it converged are reported.

#include <cstdint>

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

// b-bit quantisation of a matrix's entries: one f16 absmax per block of kKashinBlockRows rows,
// 2^b f16 centroids from 1-D k-means on the scaled entries. Returns the bits it needs.
inline constexpr std::size_t kKashinBlockRows = 64;
std::uint64_t quantize_with_centroids(Tensor& matrix, int bits);

}  // namespace signcut
