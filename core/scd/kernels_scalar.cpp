// The scalar reference kernels. The SIMD twins must match these bit for bit.
#include "scd/kernels.h"

namespace signcut {
namespace {

inline float apply_sign(float x, std::uint64_t bit) { return bit ? -x : x; }

float signed_sum(const float* x, const std::uint64_t* signs, std::size_t n) {
    float lane[16] = {};
    for (std::size_t i = 0; i < n; ++i) lane[i % 16] += apply_sign(x[i], (signs[i >> 6] >> (i & 63)) & 1u);
    for (int width = 8; width >= 1; width /= 2)
        for (int l = 0; l < width; ++l) lane[l] += lane[l + width];
    return lane[0];
}

void accumulate(float* out, const float* x, bool negate, std::size_t n) {
    if (negate)
        for (std::size_t i = 0; i < n; ++i) out[i] += -x[i];
    else
        for (std::size_t i = 0; i < n; ++i) out[i] += x[i];
}

void add_signed_constant(float* row, const std::uint64_t* signs, float c, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) row[i] += apply_sign(c, (signs[i >> 6] >> (i & 63)) & 1u);
}

}  // namespace

const Kernels& scalar_kernels() {
    static const Kernels table{Isa::scalar, signed_sum, accumulate, add_signed_constant};
    return table;
}

}  // namespace signcut
