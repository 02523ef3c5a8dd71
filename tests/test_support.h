#pragma once
// Helpers shared by the tests.

#include <QtGlobal>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "simd/kernels.h"
#include "tensor/random_tensor.h"

namespace signcut::testing {

// Latency bounds are multiplied by this: sanitizer builds run several times slower and say so
// in SIGNCUT_TEST_TIME_SCALE (scripts/test-sanitizers.sh); 1 otherwise.
inline int time_scale() { return std::max(1, qEnvironmentVariableIntValue("SIGNCUT_TEST_TIME_SCALE")); }

// The kernel paths among `isas` this CPU runs. Each one it cannot run is named in the test's
// log, so a reader knows what was not tested on this machine.
inline std::vector<Isa> runnable_paths(std::initializer_list<Isa> isas) {
    std::vector<Isa> paths;
    for (Isa isa : isas) {
        if (isa_supported(isa)) paths.push_back(isa);
        else qInfo("%s is not supported by this CPU: not tested here", isa_name(isa).data());
    }
    return paths;
}

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
