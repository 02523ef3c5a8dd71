#pragma once
// rotq: the constructive stand-in for a universal codebook. Each row is rotated by a
// randomised Hadamard transform (x → H D x / √P, rows zero-padded to a power of two P),
// which makes its entries look Gaussian, then every entry is quantised with the b-bit
// Lloyd–Max quantiser for N(0, σ²) with one f16 σ per row; bits = b·rows·P + 16·rows.

#include <cstdint>
#include <vector>

#include "methods/method.h"

namespace signcut {

// The 2^b reconstruction levels of the Lloyd–Max quantiser for N(0, 1), ascending.
const std::vector<double>& lloyd_max_gaussian_levels(int bits);

// In-place orthonormal fast Walsh–Hadamard transform (size a power of two).
void hadamard_transform(std::vector<float>& x);

Approximation rotated_quantization(const Tensor& matrix, double bits_per_entry, std::uint64_t seed);

}  // namespace signcut
