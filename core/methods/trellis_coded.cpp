#include "methods/trellis_coded.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

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

// The 8-bit log scale of a row: q = round(16·log₂(σ_max/σ)), clamped to 0 … 254; 255 is a
// row of zeros.
constexpr int kZeroRow = 255;
int log_scale_code(double rms, double largest) {
    if (!(rms > 0) || !(largest > 0)) return kZeroRow;
    return int(std::clamp(std::round(16.0 * std::log2(largest / rms)), 0.0, 254.0));
}
float log_scale(int code, double largest) { return code == kZeroRow ? 0.0f : float(largest * std::exp2(-code / 16.0)); }

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

// The quantised rows (in the rotated basis) at one choice of row scales, and what stores them.
struct Coded {
    Tensor rows;
    std::uint64_t bits = 0;
    double squared_error = 0;
    std::string note;
    bool row_scales = false;
    float header_scale = 0;        // σ_max (row scales) or the rms, f32
    std::vector<int> scale_codes;  // row scales: q per row
    RowWidths allocation;
    std::vector<float> table_scales;                 // per width 1 … 8 in use (0: not in use)
    std::vector<std::vector<std::uint8_t>> symbols;  // per width: its stream's, padding included
};

// Row r's σ̂ in a coded matrix.
float row_scale(const Coded& coded, std::size_t r) {
    return coded.row_scales ? log_scale(coded.scale_codes[r], coded.header_scale) : coded.header_scale;
}

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
    Coded out;
    out.row_scales = row_scales;
    out.header_scale = row_scales ? float(largest) : float(std::sqrt(total / double(rotated.size())));
    std::vector<float> scales(rows, out.header_scale);
    if (row_scales) out.scale_codes.resize(rows);
    std::vector<UnitCosts> units(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        if (row_scales) {
            out.scale_codes[r] = log_scale_code(std::sqrt(energy[r] / double(cols)), largest);
            scales[r] = log_scale(out.scale_codes[r], largest);
        }
        for (int k = 0; k <= kMaxWidth; ++k) {
            // Quantising x/σ̂ with unit-variance error D(K) costs about ‖x‖²·D(K).
            const double unit_error = k == 0 || scales[r] == 0 ? 1.0 : trellis_unit_gaussian_fit({state_bits, k}).mse;
            units[r].squared_error.push_back(energy[r] * unit_error);
            units[r].bits.push_back((row_scales ? 8 : 0) + std::uint64_t(k) * cols);
        }
    }
    out.allocation = allocate_row_widths(units, budget);
    const RowWidths& allocation = out.allocation;
    if (allocation.widths.empty()) return out;
    out.table_scales.assign(kMaxWidth + 1, 0.0f);
    out.symbols.resize(kMaxWidth + 1);
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
        std::vector<std::uint8_t>& symbols = out.symbols[std::size_t(k)];
        symbols.resize(stream.size());
        out.table_scales[std::size_t(k)] = table_scale;
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

namespace {

// Each width in use stores a table scale, and a stream too short for the state is padded:
// both are reserved before the allocation (8 · 16 bits, and up to L bits per width).
std::uint64_t fixed_bits(int state_bits) {
    return kHeaderBits + kMaxWidth * (kTableScaleBits + std::uint64_t(state_bits));
}

}  // namespace

std::uint64_t tcq_minimum_bits(std::size_t rows, int state_bits) {
    return mixed_widths_minimum_bits(rows, fixed_bits(state_bits), 0);
}

Approximation trellis_coded_quantization(const Tensor& matrix, double bits_per_entry, const TcqOptions& options) {
    const std::size_t rows = matrix.dim(0), cols = matrix.dim(1);
    const std::uint64_t fixed = fixed_bits(options.state_bits);
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
        return unmet("width 0 in every row needs " +
                     std::to_string(double(tcq_minimum_bits(rows, options.state_bits)) / double(matrix.size())) +
                     " bits per entry");
    Coded scaled = code_rows(rotated, energy, true, budget, options);
    if (scaled.rows.size() > 0 && scaled.squared_error < best.squared_error) best = std::move(scaled);
    rotation.unrotate_rows(best.rows);
    put_back_row_means(best.rows, means);
    Approximation out{std::move(best.rows), kHeaderBits + 16 * means.size() + best.bits,
                      (means.empty() ? "" : "row means apart; ") + best.note, true};
    const int sequence_code = std::countr_zero(options.sequence_length) - 7;
    if (!std::has_single_bit(options.sequence_length) || sequence_code < 0 || sequence_code > 3 ||
        options.state_bits < 2 || options.state_bits > 16)
        return out;  // no stored form for these settings

    BitWriter payload;
    payload.put(options.seed, 64);
    payload.put(std::bit_cast<std::uint32_t>(best.header_scale), 32);
    payload.put(std::uint64_t(options.state_bits - 1), 4);
    payload.put(best.row_scales, 1);
    payload.put(!means.empty(), 1);
    payload.put(std::uint64_t(sequence_code), 2);
    for (float mean : means) payload.put_f16(float_to_f16_bits(mean));
    put_row_widths(payload, best.allocation);
    for (int q : best.scale_codes) payload.put(std::uint64_t(q), 8);
    for (int k = 1; k <= kMaxWidth; ++k) {
        if (best.symbols[std::size_t(k)].empty()) continue;
        payload.put_f16(float_to_f16_bits(best.table_scales[std::size_t(k)]));
        for (std::uint8_t symbol : best.symbols[std::size_t(k)]) payload.put(symbol, unsigned(k));
    }
    // Rows of zeros at a width ≥ 1 (their bits are counted, their symbols are never read).
    for (std::size_t r = 0; r < rows; ++r)
        if (best.allocation.widths[r] > 0 && row_scale(best, r) == 0.0f)
            for (std::size_t c = 0; c < cols; ++c) payload.put(0, unsigned(best.allocation.widths[r]));
    out.payload = payload.finish_exactly(out.bits, "tcq");
    return out;
}

Tensor load_trellis_coded_quantization(std::span<const char> payload, const Shape& shape) {
    const auto fail = [](const std::string& problem) { throw std::invalid_argument("tcq payload: " + problem); };
    const std::size_t rows = shape.at(0), cols = shape.at(1);
    BitReader in(payload);
    const std::uint64_t seed = in.get_u64();
    Coded stored;
    stored.header_scale = std::bit_cast<float>(std::uint32_t(in.get(32)));
    const int state_bits = int(in.get(4)) + 1;
    stored.row_scales = in.get(1) != 0;
    std::vector<float> means(in.get(1) ? rows : 0);
    const std::size_t sequence_length = std::size_t(128) << in.get(2);
    if (!in.ok() || state_bits < 2 || 16 * std::uint64_t(means.size()) > in.remaining_bits())
        fail("bad or truncated header");
    for (float& mean : means) mean = f16_bits_to_float(std::uint16_t(in.get(16)));
    stored.allocation.widths = get_row_widths(in, rows, kMaxWidth);
    const std::vector<int>& widths = stored.allocation.widths;
    if (widths.empty()) fail("bad width code");
    if (stored.row_scales) {
        if (8 * std::uint64_t(rows) > in.remaining_bits()) fail("truncated row scales");
        stored.scale_codes.resize(rows);
        for (int& q : stored.scale_codes) q = int(in.get(8));
    }
    // The streams of each width: their rows and lengths, and the exact size, checked before allocating.
    std::vector<std::vector<std::size_t>> members(kMaxWidth + 1);
    std::vector<std::vector<std::size_t>> lengths(kMaxWidth + 1);
    std::uint64_t bits = in.consumed_bits();
    for (std::size_t r = 0; r < rows; ++r)
        if (widths[r] > 0) {
            if (row_scale(stored, r) > 0) members[std::size_t(widths[r])].push_back(r);
            else bits += std::uint64_t(widths[r]) * cols;
        }
    for (int k = 1; k <= kMaxWidth; ++k) {
        if (members[std::size_t(k)].empty()) continue;
        if (k >= state_bits) fail("width " + std::to_string(k) + " not below L = " + std::to_string(state_bits));
        const std::size_t entries = members[std::size_t(k)].size() * cols;
        lengths[std::size_t(k)] = sequence_lengths(entries, sequence_length, std::size_t((state_bits + k - 1) / k));
        bits += kTableScaleBits + std::uint64_t(k) * std::max(entries, lengths[std::size_t(k)].front());
    }
    if ((bits + 7) / 8 != payload.size())
        fail(std::to_string(payload.size()) + " bytes where its header needs " + std::to_string((bits + 7) / 8));
    Tensor out({rows, cols});
    std::vector<float> decoded;
    for (int k = 1; k <= kMaxWidth; ++k) {
        const std::vector<std::size_t>& rows_of_k = members[std::size_t(k)];
        if (rows_of_k.empty()) continue;
        const TrellisCode code{state_bits, k};
        const float table_scale = f16_bits_to_float(std::uint16_t(in.get(16)));
        const std::vector<std::size_t>& stream_lengths = lengths[std::size_t(k)];
        std::vector<std::size_t> starts(stream_lengths.size() + 1, 0);
        for (std::size_t i = 0; i < stream_lengths.size(); ++i) starts[i + 1] = starts[i] + stream_lengths[i];
        decoded.resize(starts.back());
        // The sequences are independent (each tail-biting), and each one's symbols lie at a known
        // bit offset: read and decoded in parallel.
        const std::uint64_t first_bit = in.consumed_bits();
        oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, stream_lengths.size(), 64),
                                  [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
                                      BitReader symbols_in(payload);
                                      symbols_in.seek(first_bit + std::uint64_t(starts[range.begin()]) * unsigned(k));
                                      std::vector<std::uint8_t> symbols;
                                      for (std::size_t i = range.begin(); i < range.end(); ++i) {
                                          symbols.resize(stream_lengths[i]);
                                          for (std::uint8_t& symbol : symbols)
                                              symbol = std::uint8_t(symbols_in.get(unsigned(k)));
                                          trellis_decode(code, symbols.data(), symbols.size(), table_scale,
                                                         decoded.data() + starts[i]);
                                      }
                                  });
        in.seek(first_bit + std::uint64_t(starts.back()) * unsigned(k));
        oneapi::tbb::parallel_for(std::size_t(0), rows_of_k.size(), [&](std::size_t i) {
            const float scale = row_scale(stored, rows_of_k[i]);
            float* row = &out[rows_of_k[i] * cols];
            for (std::size_t c = 0; c < cols; ++c) row[c] = decoded[i * cols + c] * scale;
        });
    }
    RandomRotation(cols, seed).unrotate_rows(out);
    put_back_row_means(out, means);
    return out;
}

}  // namespace signcut
