#pragma once
// Helpers shared by the tests.

#include <QtGlobal>

#include <algorithm>
#include <cstdint>

#include "tensor/random_tensor.h"

namespace signcut::testing {

// Latency bounds are multiplied by this: sanitizer builds run several times slower and say so
// in SIGNCUT_TEST_TIME_SCALE (scripts/test-sanitizers.sh); 1 otherwise.
inline int time_scale() { return std::max(1, qEnvironmentVariableIntValue("SIGNCUT_TEST_TIME_SCALE")); }

// scale · s tᵀ with s, t random sign vectors: one signed cut recovers it exactly.
inline Tensor rank_one_sign_matrix(std::size_t rows, std::size_t cols, float scale, std::uint64_t seed) {
    const Tensor noise = gaussian_tensor({rows + cols}, seed);
    Tensor a({rows, cols});
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j)
            a[i * cols + j] = scale * (noise[i] < 0 ? -1.0f : 1.0f) * (noise[rows + j] < 0 ? -1.0f : 1.0f);
    return a;
}

}  // namespace signcut::testing
