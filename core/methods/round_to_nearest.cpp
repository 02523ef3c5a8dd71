#include "methods/round_to_nearest.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "methods/bit_allocation.h"
#include "tensor/float16.h"

namespace signcut {
namespace {

constexpr int kMaxWidth = 8;

float to_f16(float x) { return f16_bits_to_float(float_to_f16_bits(x)); }

// A row at width b: its b-bit codes and an f16 scale and zero point a group; at width 0 only
// an f16 value a group.
std::uint64_t row_bits_at(int b, std::size_t cols, std::size_t groups) {
    return b == 0 ? 16 * groups : std::uint64_t(b) * cols + 32 * groups;
}

}  // namespace

std::uint64_t rtn_minimum_bits(std::size_t rows, std::size_t cols, std::size_t group_size) {
    const std::size_t group = group_size == 0 ? cols : std::min(group_size, cols);
    return mixed_widths_minimum_bits(rows, 0, row_bits_at(0, cols, (cols + group - 1) / group));
}

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

Approximation round_to_nearest(const Tensor& matrix, double bits_per_entry, std::size_t group_size) {
    const std::size_t cols = matrix.dim(1);
    const std::size_t group = group_size == 0 ? cols : std::min(group_size, cols);
    const std::size_t groups = (cols + group - 1) / group;
    const auto row_bits = [&](int b) { return row_bits_at(b, cols, groups); };
    const auto quantize = [&](std::size_t, const float* in, float* out, int b) {
        double error = 0;
        for (std::size_t start = 0; start < cols; start += group)
            error += rtn_quantize_group(in + start, out + start, std::min(group, cols - start), b);
        return error;
    };
    RowWidths allocation;
    Approximation out =
        quantize_rows_at_mixed_widths(matrix, bits_per_entry, kMaxWidth, 0, row_bits, quantize, &allocation);
    if (out.met_budget && group < cols) out.note = "groups of " + std::to_string(group) + "; " + out.note;
    if (!out.met_budget || group < cols) return out;
    BitWriter payload;
    put_row_widths(payload, allocation);
    std::vector<float> scratch(cols);
    std::vector<std::uint8_t> codes(cols);
    for (std::size_t r = 0; r < matrix.dim(0); ++r) {
        const int b = allocation.widths[r];
        RtnGroup g;
        rtn_quantize_group(&matrix.data()[r * cols], scratch.data(), cols, b, &g, codes.data());
        payload.put_f16(float_to_f16_bits(g.zero));
        if (b == 0) continue;
        payload.put_f16(float_to_f16_bits(g.scale));
        for (std::size_t c = 0; c < cols; ++c) payload.put(codes[c], unsigned(b));
    }
    out.payload = payload.finish_exactly(out.bits, "rtn");
    return out;
}

Tensor load_round_to_nearest(std::span<const char> payload, const Shape& shape) {
    const std::size_t rows = shape.at(0), cols = shape.at(1);
    BitReader in(payload);
    const std::vector<int> widths = get_row_widths(in, rows, kMaxWidth);
    if (widths.empty()) throw std::invalid_argument("rtn payload: bad width code");
    std::uint64_t bits = in.consumed_bits();
    for (int b : widths) bits += b == 0 ? 16 : 32 + std::uint64_t(b) * cols;
    if ((bits + 7) / 8 != payload.size())  // checked before the reconstruction is allocated
        throw std::invalid_argument("rtn payload: " + std::to_string(payload.size()) + " bytes where its widths need " +
                                    std::to_string((bits + 7) / 8));
    Tensor out({rows, cols});
    for (std::size_t r = 0; r < rows; ++r) {
        float* row = &out.data()[r * cols];
        const float zero = f16_bits_to_float(std::uint16_t(in.get(16)));
        if (widths[r] == 0) {
            std::fill(row, row + cols, zero);
            continue;
        }
        const float scale = f16_bits_to_float(std::uint16_t(in.get(16)));
        for (std::size_t c = 0; c < cols; ++c) row[c] = zero + float(in.get(unsigned(widths[r]))) * scale;
    }
    return out;
}

}  // namespace signcut
