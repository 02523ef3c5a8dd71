#pragma once
// The straightforward dense implementation of the same greedy algorithm for a matrix,
// one Eigen GEMV per half-step and a dense rank-one update per cut. It is the yardstick
// the engine is measured against (signcut-cli bench) and an oracle for tests.

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace signcut {

struct ReferenceResult {
    std::vector<float> coeffs;
    double relative_error = 1.0;  // after the last cut (measured after the timing stops)
    double seconds = 0.0;
};

// Decomposes a matrix to `width` cuts, starting each cut from seeded random column signs.
ReferenceResult reference_decomposition(const Tensor& matrix, std::size_t width, std::uint64_t seed,
                                        int max_iterations = 100);

}  // namespace signcut
