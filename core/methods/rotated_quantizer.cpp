#include "methods/rotated_quantizer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>

#include "methods/bit_allocation.h"
#include "methods/random_rotation.h"
#include "methods/row_means.h"
#include "tensor/float16.h"

namespace signcut {
namespace {

double normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi); }
double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

std::vector<double> compute_levels(int bits) {
    const std::size_t count = std::size_t(1) << bits;
    std::vector<double> levels(count);
    for (std::size_t i = 0; i < count; ++i) levels[i] = -3.0 + 6.0 * (double(i) + 0.5) / double(count);
    // Lloyd's iteration: thresholds at midpoints, levels at the conditional means
    // E[X | lo < X < hi] = (φ(lo) − φ(hi)) / (Φ(hi) − Φ(lo)).
    for (int iteration = 0; iteration < 500; ++iteration) {
        for (std::size_t i = 0; i < count; ++i) {
            const double lo = i == 0 ? -INFINITY : 0.5 * (levels[i - 1] + levels[i]);
            const double hi = i + 1 == count ? INFINITY : 0.5 * (levels[i] + levels[i + 1]);
            const double mass = normal_cdf(hi) - normal_cdf(lo);
            if (mass > 1e-300) levels[i] = (normal_pdf(lo) - normal_pdf(hi)) / mass;
        }
    }
    return levels;
}

// Decision thresholds: midpoints between neighbouring levels.
const std::vector<double>& lloyd_max_gaussian_thresholds(int bits) {
    static std::array<std::vector<double>, 9> cache;
    static std::mutex mutex;
    const std::vector<double>& levels = lloyd_max_gaussian_levels(bits);
    std::lock_guard lock(mutex);
    std::vector<double>& thresholds = cache.at(std::size_t(bits));
    if (thresholds.empty())
        for (std::size_t i = 1; i < levels.size(); ++i) thresholds.push_back(0.5 * (levels[i - 1] + levels[i]));
    return thresholds;
}

constexpr int kMaxWidth = 8;
// Stored once: the rotation's seed and whether row means are kept apart (16 bits each if so).
constexpr std::uint64_t kFixedBits = 64 + 1;
// A row stores its f16 σ beside its b-bit levels.
constexpr std::uint64_t kRowScaleBits = 16;

// The level index of z for the b-bit quantiser.
std::size_t level_index(double z, int b) {
    const std::vector<double>& thresholds = lloyd_max_gaussian_thresholds(b);
    return std::size_t(std::upper_bound(thresholds.begin(), thresholds.end(), z) - thresholds.begin());
}

}  // namespace

std::uint64_t rotq_minimum_bits(std::size_t rows) { return mixed_widths_minimum_bits(rows, kFixedBits, kRowScaleBits); }

const std::vector<double>& lloyd_max_gaussian_levels(int bits) {
    static std::array<std::vector<double>, 9> cache;
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::vector<double>& levels = cache.at(std::size_t(bits));
    if (levels.empty()) levels = compute_levels(bits);
    return levels;
}

Approximation rotated_quantization(const Tensor& matrix, double bits_per_entry, std::uint64_t seed) {
    const std::size_t cols = matrix.dim(1);
    const RandomRotation rotation(cols, seed);
    Tensor rotated = matrix;
    const std::vector<float> means = take_out_row_means(rotated);
    rotation.rotate_rows(rotated);
    std::vector<float> sigmas(matrix.dim(0));
    for (std::size_t r = 0; r < sigmas.size(); ++r) {
        double energy = 0;
        for (std::size_t c = 0; c < cols; ++c) energy += double(rotated[r * cols + c]) * double(rotated[r * cols + c]);
        sigmas[r] = f16_bits_to_float(float_to_f16_bits(float(std::sqrt(energy / double(cols)))));
    }
    // The rotation is orthogonal, so a row's error is the same before and after it.
    const auto quantize = [&](std::size_t r, const float* in, float* out, int b) {
        const float sigma = sigmas[r];
        double error = 0;
        if (b == 0 || sigma == 0.0f) {
            for (std::size_t c = 0; c < cols; ++c) out[c] = 0.0f, error += double(in[c]) * double(in[c]);
            return error;
        }
        const std::vector<double>& levels = lloyd_max_gaussian_levels(b);
        for (std::size_t c = 0; c < cols; ++c) {
            out[c] = float(levels[level_index(double(in[c]) / double(sigma), b)]) * sigma;
            error += double(in[c] - out[c]) * double(in[c] - out[c]);
        }
        return error;
    };
    const auto row_bits = [&](int b) { return kRowScaleBits + std::uint64_t(b) * cols; };
    const std::uint64_t fixed = kFixedBits + 16 * means.size();
    RowWidths allocation;
    Approximation out =
        quantize_rows_at_mixed_widths(rotated, bits_per_entry, kMaxWidth, fixed, row_bits, quantize, &allocation);
    if (!out.met_budget) return out;
    rotation.unrotate_rows(out.reconstruction);
    put_back_row_means(out.reconstruction, means);
    if (!means.empty()) out.note = "row means apart; " + out.note;

    BitWriter payload;
    payload.put(seed, 64);
    payload.put(!means.empty(), 1);
    for (float mean : means) payload.put_f16(float_to_f16_bits(mean));
    put_row_widths(payload, allocation);
    for (std::size_t r = 0; r < sigmas.size(); ++r) {
        const int b = allocation.widths[r];
        payload.put_f16(float_to_f16_bits(sigmas[r]));
        for (std::size_t c = 0; c < cols && b > 0; ++c)
            payload.put(sigmas[r] == 0.0f ? 0 : level_index(double(rotated[r * cols + c]) / double(sigmas[r]), b),
                        unsigned(b));
    }
    out.payload = payload.finish_exactly(out.bits, "rotq");
    return out;
}

Tensor load_rotated_quantization(std::span<const char> payload, const Shape& shape) {
    const std::size_t rows = shape.at(0), cols = shape.at(1);
    BitReader in(payload);
    const std::uint64_t seed = in.get_u64();
    std::vector<float> means(in.get(1) ? rows : 0);
    if (!in.ok() || 16 * std::uint64_t(means.size()) > in.remaining_bits())
        throw std::invalid_argument("rotq payload: truncated header");
    for (float& mean : means) mean = f16_bits_to_float(std::uint16_t(in.get(16)));
    const std::vector<int> widths = get_row_widths(in, rows, kMaxWidth);
    if (widths.empty()) throw std::invalid_argument("rotq payload: bad width code");
    std::uint64_t bits = in.consumed_bits();
    for (int b : widths) bits += 16 + std::uint64_t(b) * cols;
    if ((bits + 7) / 8 != payload.size())
        throw std::invalid_argument("rotq payload: " + std::to_string(payload.size()) +
                                    " bytes where its widths need " + std::to_string((bits + 7) / 8));
    Tensor out({rows, cols});
    for (std::size_t r = 0; r < rows; ++r) {
        const float sigma = f16_bits_to_float(std::uint16_t(in.get(16)));
        const int b = widths[r];
        if (b == 0) continue;
        const std::vector<double>& levels = lloyd_max_gaussian_levels(b);
        for (std::size_t c = 0; c < cols; ++c) {
            const auto index = std::size_t(in.get(unsigned(b)));
            out[r * cols + c] = sigma == 0.0f ? 0.0f : float(levels[index]) * sigma;
        }
    }
    RandomRotation(cols, seed).unrotate_rows(out);
    put_back_row_means(out, means);
    return out;
}

}  // namespace signcut
