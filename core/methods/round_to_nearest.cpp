#include "methods/round_to_nearest.h"

#include <algorithm>
#include <cmath>

#include "methods/bit_allocation.h"
#include "tensor/float16.h"

namespace signcut {
namespace {

constexpr int kMaxWidth = 8;

float to_f16(float x) { return f16_bits_to_float(float_to_f16_bits(x)); }

}  // namespace

double rtn_quantize_group(const float* in, float* out, std::size_t n, int b, RtnGroup* group, std::uint8_t* codes) {
    double error = 0;
    if (b == 0) {
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i) sum += in[i];
        const float mean = to_f16(float(sum / double(n)));
        if (group) *group = {mean, 0.0f};
        for (std::size_t i = 0; i < n; ++i) {
            out[i] = mean;
            error += double(in[i] - mean) * double(in[i] - mean);
        }
        return error;
    }
    const auto [lo, hi] = std::minmax_element(in, in + n);
    const float levels = float((1 << b) - 1);
    const float zero = to_f16(*lo), scale = to_f16((*hi - *lo) / levels);
    if (group) *group = {zero, scale};
    for (std::size_t i = 0; i < n; ++i) {
        const float code = scale > 0 ? std::clamp(std::nearbyint((in[i] - zero) / scale), 0.0f, levels) : 0.0f;
        if (codes) codes[i] = std::uint8_t(code);
        out[i] = zero + code * scale;
        error += double(in[i] - out[i]) * double(in[i] - out[i]);
    }
    return error;
}

Approximation round_to_nearest(const Tensor& matrix, double bits_per_entry, std::size_t group_size,
                               std::vector<int>* row_widths) {
    const std::size_t cols = matrix.dim(1);
    const std::size_t group = group_size == 0 ? cols : std::min(group_size, cols);
    const std::size_t groups = (cols + group - 1) / group;
    const auto row_bits = [&](int b) { return (b == 0 ? 16 * groups : std::uint64_t(b) * cols + 32 * groups); };
    const auto quantize = [&](std::size_t, const float* in, float* out, int b) {
        double error = 0;
        for (std::size_t start = 0; start < cols; start += group)
            error += rtn_quantize_group(in + start, out + start, std::min(group, cols - start), b);
        return error;
    };
    Approximation out =
        quantize_rows_at_mixed_widths(matrix, bits_per_entry, kMaxWidth, 0, row_bits, quantize, row_widths);
    if (out.met_budget && group < cols) out.note = "groups of " + std::to_string(group) + "; " + out.note;
    return out;
}

}  // namespace signcut
