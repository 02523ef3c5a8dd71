#include "scd/column_sums.h"

#include <algorithm>
#include <vector>

#include "scd/sign_bits.h"

namespace signcut {

// Multiplying by ±1 is exact: out + (−1)·x is out + (−x), the add accumulate_rows does. A
// matrix's rows keep their sums in registers, four at a time (measured 4–10 % faster than the
// columns outer, sixteen rows side by side, which photos keep for their interleaved channels).
void add_columns(const float* r, std::size_t line, std::size_t channels, std::size_t i0, std::size_t i1,
                 std::span<const std::size_t> columns, const std::uint64_t* signs, float* image) {
    if (channels == 1) {  // four rows at a time (independent chains), each walking its own row
        std::size_t i = i0;
        for (; i + 4 <= i1; i += 4) {
            const float *x0 = r + i * line, *x1 = x0 + line, *x2 = x1 + line, *x3 = x2 + line;
            float* out = image + (i - i0);
            float a0 = out[0], a1 = out[1], a2 = out[2], a3 = out[3];
            for (const std::size_t k : columns) {
                const float sign = sign_value<float>(signs, k);
                a0 += sign * x0[k], a1 += sign * x1[k], a2 += sign * x2[k], a3 += sign * x3[k];
            }
            out[0] = a0, out[1] = a1, out[2] = a2, out[3] = a3;
        }
        for (; i < i1; ++i) {
            const float* x = r + i * line;
            float a = image[i - i0];
            for (const std::size_t k : columns) a += sign_value<float>(signs, k) * x[k];
            image[i - i0] = a;
        }
        return;
    }
    for (const std::size_t column : columns) {
        const float sign = sign_value<float>(signs, column);
        const float* x = r + i0 * line + column * channels;
        float* out = image;
        for (std::size_t i = i0; i < i1; ++i, x += line, out += channels)
            for (std::size_t k = 0; k < channels; ++k) out[k] += sign * x[k];
    }
}

void column_images(const float* r, std::size_t rows, std::size_t line, std::size_t channels, std::size_t k0,
                   std::size_t k1, const std::uint64_t* const* signs, std::size_t count, float* const* images) {
    const std::size_t first = k0 * channels, width = (k1 - k0) * channels;
    // c = 1: 16 lanes per column (row i into lane i mod 16); c > 1: one sum per entry.
    const std::size_t lanes = channels == 1 ? 16 : 1;
    std::vector<float> sums(kMaxColumnImages * lanes * width, 0.0f);
    for (std::size_t i = 0; i < rows; ++i) {
        const float* x = r + i * line + first;
        for (std::size_t v = 0; v < count; ++v) {
            const float sign = sign_value<float>(signs[v], i);
            float* sum = &sums[(v * lanes + i % lanes) * width];
            for (std::size_t e = 0; e < width; ++e) sum[e] += sign * x[e];
        }
    }
    for (std::size_t v = 0; v < count; ++v) {
        float* lane = &sums[v * lanes * width];
        for (std::size_t half = lanes / 2; half >= 1; half /= 2)  // the fold: l += l + 8, l += l + 4, …
            for (std::size_t l = 0; l < half; ++l)
                for (std::size_t e = 0; e < width; ++e) lane[l * width + e] += lane[(l + half) * width + e];
        for (std::size_t e = 0; e < width; ++e) images[v][e] = 0.5f * lane[e];
    }
}

}  // namespace signcut
