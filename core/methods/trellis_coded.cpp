#include "methods/trellis_coded.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "methods/bit_allocation.h"
#include "methods/random_rotation.h"
#include "methods/row_means.h"
#include "methods/trellis.h"
#include "tensor/float16.h"

namespace signcut {
namespace {

constexpr int kMaxWidth = 8;
constexpr std::uint64_t kHeaderBits = 64 + 32 + 8;
constexpr std::uint64_t kTableScaleBits = 16;

float to_f16(float x) { return f16_bits_to_float(float_to_f16_bits(x)); }

// The 8-bit log scale of a row: q = round(16·log₂(σ_max/σ)), clamped to 0 … 255.
float log_scale(double rms, double largest) {
    if (!(rms > 0) || !(largest > 0)) return 0.0f;
    const double q = std::clamp(std::round(16.0 * std::log2(largest / rms)), 0.0, 255.0);
    return float(largest * std::exp2(-q / 16.0));
}

// Sequence lengths for a stream of `total` entries: about T each (nearly equal), and each long
// enough for the state (length·K ≥ L); a stream shorter than that is padded.
std::vector<std::size_t> sequence_lengths(std::size_t total, std::size_t target, std::size_t shortest) {
    const std::size_t count = std::max<std::size_t>(1, (total + target / 2) / target);
    std::vector<std::size_t> lengths(count, total / count);
    for (std::size_t i = 0; i < total % count; ++i) ++lengths[i];
    if (lengths.front() < shortest) lengths.assign(1, std::max(total, shortest));
    return lengths;
}

// The table scale (near the N(0, 1) fit) with the least error on up to 16 of the sequences,
// by golden-section search over a factor of 0.7 … 1.4 of the fit.
float best_table_scale(const TrellisCode& code, const std::vector<float>& stream,
                       const std::vector<std::size_t>& lengths) {
    const float fit = trellis_unit_gaussian_fit(code).table_scale;
    const std::size_t stride = std::max<std::size_t>(1, lengths.size() / 16);
    std::vector<std::size_t> sample_lengths;
    std::vector<float> sample;
    for (std::size_t i = 0, start = 0; i < lengths.size() && sample_lengths.size() < 16; start += lengths[i], ++i)
        if (i % stride == 0) {
            sample_lengths.push_back(lengths[i]);
            sample.insert(sample.end(), stream.begin() + std::ptrdiff_t(start),
                          stream.begin() + std::ptrdiff_t(start + lengths[i]));
        }
    std::vector<std::uint8_t> symbols(sample.size());
    const auto error = [&](double scale) {
        double sum = 0;
        for (double e : trellis_quantize_sequences(code, sample, sample_lengths, float(scale), symbols)) sum += e;
        return sum;
    };
    const double golden = (std::sqrt(5.0) - 1.0) / 2.0;
    double lo = 0.7 * fit, hi = 1.4 * fit;
    double a = hi - golden * (hi - lo), b = lo + golden * (hi - lo), fa = error(a), fb = error(b);
    for (int i = 0; i < 8; ++i) {
        if (fa <= fb) hi = b, b = a, fb = fa, a = hi - golden * (hi - lo), fa = error(a);
        else lo = a, a = b, fa = fb, b = lo + golden * (hi - lo), fb = error(b);
    }
    return to_f16(float(fa <= fb ? a : b));
}

// The quantised rows (in the rotated basis) at one choice of row scales.
struct Coded {
    Tensor rows;
    std::uint64_t bits = 0;
    double squared_error = 0;
    std::string note;
};

// With `row_scales`, each row is divided by its own 8-bit log scale; without, by the rms of the
// whole matrix (8 bits a row saved, which pays when the rows have about the same energy).
Coded code_rows(const Tensor& rotated, const std::vector<double>& energy, bool row_scales, double budget,
                const TcqOptions& options) {
    const std::size_t rows = rotated.dim(0), cols = rotated.dim(1);
    const int state_bits = options.state_bits;
    double total = 0;
    for (double e : energy) total += e;
    const double largest =
        float(std::sqrt(*std::max_element(energy.begin(), energy.end()) / double(cols)));  // stored in f32
    std::vector<float> scales(rows, float(std::sqrt(total / double(rotated.size()))));
    std::vector<UnitCosts> units(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        if (row_scales) scales[r] = log_scale(std::sqrt(energy[r] / double(cols)), largest);
        for (int k = 0; k <= kMaxWidth; ++k) {
            // Quantising x/σ̂ with unit-variance error D(K) costs about ‖x‖²·D(K).
            const double unit_error = k == 0 || scales[r] == 0 ? 1.0 : trellis_unit_gaussian_fit({state_bits, k}).mse;
            units[r].squared_error.push_back(energy[r] * unit_error);
            units[r].bits.push_back((row_scales ? 8 : 0) + std::uint64_t(k) * cols);
        }
    }
    Coded out;
    const RowWidths allocation = allocate_row_widths(units, budget);
    if (allocation.widths.empty()) return out;
    out.rows = Tensor(rotated.shape());  // rows at width 0 stay 0
    out.bits = allocation.bits;
    std::string widths;
    for (int k = 1; k <= kMaxWidth; ++k) {
        std::vector<std::size_t> members;
        for (std::size_t r = 0; r < rows; ++r)
            if (allocation.widths[r] == k && scales[r] > 0) members.push_back(r);
        if (members.empty()) continue;
        const TrellisCode code{state_bits, k};
        std::vector<float> stream;
        stream.reserve(members.size() * cols);
        for (std::size_t r : members)
            for (std::size_t c = 0; c < cols; ++c) stream.push_back(rotated[r * cols + c] / scales[r]);
        const std::size_t entries = stream.size();
        const std::vector<std::size_t> lengths =
            sequence_lengths(entries, options.sequence_length, std::size_t((state_bits + k - 1) / k));
        stream.resize(std::max(entries, lengths.front()), 0.0f);  // the padding, if any
        const float table_scale = best_table_scale(code, stream, lengths);
        std::vector<std::uint8_t> symbols(stream.size());
        std::vector<float> decoded(stream.size());
        trellis_quantize_sequences(code, stream, lengths, table_scale, symbols, decoded);
        for (std::size_t i = 0; i < members.size(); ++i)
            for (std::size_t c = 0; c < cols; ++c)
                out.rows[members[i] * cols + c] = decoded[i * cols + c] * scales[members[i]];
        out.bits += kTableScaleBits + std::uint64_t(k) * (stream.size() - entries);
        widths += (widths.empty() ? "" : ", ") + std::to_string(members.size()) + " rows at " + std::to_string(k);
    }
    out.squared_error = 0;
    for (std::size_t i = 0; i < rotated.size(); ++i)
        out.squared_error += double(rotated[i] - out.rows[i]) * double(rotated[i] - out.rows[i]);
    out.note = "L = " + std::to_string(state_bits) + (row_scales ? ", row scales" : ", one scale") +
               "; widths: " + (widths.empty() ? "all 0" : widths);
    return out;
}

}  // namespace

Approximation trellis_coded_quantization(const Tensor& matrix, double bits_per_entry, const TcqOptions& options) {
    const std::size_t rows = matrix.dim(0), cols = matrix.dim(1);
    // Each width in use stores a table scale, and a stream too short for the state is padded:
    // both are reserved before the allocation (8 · 16 bits, and up to L bits per width).
    const std::uint64_t fixed = kHeaderBits + kMaxWidth * (kTableScaleBits + std::uint64_t(options.state_bits));
    const RandomRotation rotation(cols, options.seed);
    Tensor rotated = matrix;
    std::vector<float> means = take_out_row_means(rotated);
    double budget = bits_per_entry * double(matrix.size()) - double(fixed + 16 * means.size());
    if (!means.empty() && budget < double(4 + rows)) {  // no room for the means: keep them in the rows
        put_back_row_means(rotated, means);
        budget += double(16 * means.size());
        means.clear();
    }
    rotation.rotate_rows(rotated);
    std::vector<double> energy(rows, 0.0);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c)
            energy[r] += double(rotated[r * cols + c]) * double(rotated[r * cols + c]);

    Coded best = code_rows(rotated, energy, false, budget, options);
    if (best.rows.size() == 0)
        return unmet("width 0 in every row needs " + std::to_string(double(fixed + 4 + rows) / double(matrix.size())) +
                     " bits per entry");
    Coded scaled = code_rows(rotated, energy, true, budget, options);
    if (scaled.rows.size() > 0 && scaled.squared_error < best.squared_error) best = std::move(scaled);
    rotation.unrotate_rows(best.rows);
    put_back_row_means(best.rows, means);
    Approximation out{std::move(best.rows), kHeaderBits + 16 * means.size() + best.bits,
                      (means.empty() ? "" : "row means apart; ") + best.note, true};
    return out;
}

}  // namespace signcut
