#pragma once
// rotq: the constructive stand-in for a universal codebook. Every row is rotated by a seeded
// random orthogonal transform of its own length (random_rotation.h: no padding), which makes
// its entries look Gaussian while the row keeps its energy; then every entry of a row at
// width b is quantised with the b-bit Lloyd–Max quantiser for N(0, σ²), σ the row's rms in
// f16. Rows get mixed widths 0 … 8 by reverse water-filling (bit_allocation.h):
// Row means are stored apart (f16) when they hold a real share of the energy (row_means.h).
// bits = 64 (the seed) + 1 (whether means are apart) + the width codes (allocate_row_widths)
//        + Σ_rows (16 (σ) + b·n) (+ 16 a row for the means).
// Stored form, in that order: seed, flag, the means, the width code, then per row σ and its
// codes (indices of the levels, b bits each).

#include <cstdint>
#include <span>
#include <vector>

#include "methods/method.h"

namespace signcut {

// The 2^b reconstruction levels of the Lloyd–Max quantiser for N(0, 1), ascending.
const std::vector<double>& lloyd_max_gaussian_levels(int bits);

Approximation rotated_quantization(const Tensor& matrix, double bits_per_entry, std::uint64_t seed);
// The fewest bits it stores for a matrix of `rows` rows (every row at width 0, no row means).
std::uint64_t rotq_minimum_bits(std::size_t rows);
// The reconstruction from its stored form; throws std::invalid_argument.
Tensor load_rotated_quantization(std::span<const char> payload, const Shape& shape);

}  // namespace signcut
