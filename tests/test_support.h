#pragma once
// Helpers shared by the tests.

#include <QtGlobal>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <vector>

#include "scd/decomposition.h"
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

// The same floats bit for bit (a −0 is not a +0, a NaN equals itself).
inline bool same_bits(std::span<const float> a, std::span<const float> b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}

// The same decomposition bit for bit: shape, width, every cut's signs and coefficient, and the
// entries kept apart (indices, values, the widths they came in at).
inline bool identical(const Decomposition& a, const Decomposition& b) {
    if (a.shape() != b.shape() || a.width() != b.width()) return false;
    for (std::size_t j = 0; j < a.width(); ++j)
        for (std::size_t m = 0; m < a.order(); ++m)
            if (!std::equal(a.signs(j, m).begin(), a.signs(j, m).end(), b.signs(j, m).begin())) return false;
    const auto same_bytes = [](auto x, auto y) {  // bit for bit
        return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size_bytes()) == 0);
    };
    return same_bytes(a.coeffs(), b.coeffs()) && same_bytes(a.outlier_indices(), b.outlier_indices()) &&
           same_bytes(a.outlier_values(), b.outlier_values()) && same_bytes(a.outlier_widths(), b.outlier_widths());
}

}  // namespace signcut::testing
