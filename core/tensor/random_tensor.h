#pragma once
// Reproducible random tensors for tests, benchmarks and demos: the same seed gives the
// same entries on every platform (no std:: distributions, whose output is unspecified).

#include <cstdint>

#include "tensor/tensor.h"

namespace signcut {

// Independent N(0, 1) entries (Box–Muller on a 64-bit Mersenne Twister).
Tensor gaussian_tensor(const Shape& shape, std::uint64_t seed);

// The same with slice i along the first axis (row i of a matrix) multiplied by a factor drawn
// log-uniformly from [lowest, highest] (0 < lowest ≤ highest): rows of unequal energy, as in
// trained weights.
Tensor row_scaled_gaussian_tensor(const Shape& shape, double lowest, double highest, std::uint64_t seed);

// N(0, 1) entries of which ⌊fraction · N⌋, chosen at random, are replaced by scale · N(0, 1):
// a few entries far out in the tails, as trained weights have (scd/outliers.h).
Tensor spiky_gaussian_tensor(const Shape& shape, double fraction, double scale, std::uint64_t seed);

}  // namespace signcut
