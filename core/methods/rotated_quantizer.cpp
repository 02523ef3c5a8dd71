#include "methods/rotated_quantizer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <numbers>
#include <random>

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

}  // namespace

const std::vector<double>& lloyd_max_gaussian_levels(int bits) {
    static std::array<std::vector<double>, 9> cache;
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::vector<double>& levels = cache.at(std::size_t(bits));
    if (levels.empty()) levels = compute_levels(bits);
    return levels;
}

void hadamard_transform(std::vector<float>& x) {
    const std::size_t n = x.size();
    for (std::size_t half = 1; half < n; half *= 2)
        for (std::size_t start = 0; start < n; start += 2 * half)
            for (std::size_t i = start; i < start + half; ++i) {
                const float a = x[i], b = x[i + half];
                x[i] = a + b;
                x[i + half] = a - b;
            }
    const float scale = float(1.0 / std::sqrt(double(n)));
    for (float& v : x) v *= scale;
}

Approximation rotated_quantization(const Tensor& matrix, double bits_per_entry, std::uint64_t seed) {
    const std::size_t rows = matrix.dim(0), cols = matrix.dim(1);
    std::size_t padded = 1;
    while (padded < cols) padded *= 2;
    const double entries = double(matrix.size());
    const auto cost = [&](int b) { return std::uint64_t(b) * rows * padded + 16ull * rows; };
    int b = 0;
    for (int candidate = 8; candidate >= 1 && b == 0; --candidate)
        if (double(cost(candidate)) <= bits_per_entry * entries) b = candidate;
    if (b == 0) return unmet("1 bit per rotated entry needs " + std::to_string(double(cost(1)) / entries) + " bits per entry");
    const std::vector<double>& levels = lloyd_max_gaussian_levels(b);
    std::vector<double> thresholds;
    for (std::size_t i = 1; i < levels.size(); ++i) thresholds.push_back(0.5 * (levels[i - 1] + levels[i]));
    std::vector<float> flips(padded);
    std::mt19937_64 rng(seed);
    for (float& f : flips) f = (rng() & 1) ? -1.0f : 1.0f;

    Approximation out{Tensor(matrix.shape()), cost(b), "b = " + std::to_string(b) + ", rows padded to " + std::to_string(padded), true};
    std::vector<float> y(padded);
    for (std::size_t r = 0; r < rows; ++r) {
        std::fill(y.begin(), y.end(), 0.0f);
        for (std::size_t c = 0; c < cols; ++c) y[c] = flips[c] * matrix[r * cols + c];
        hadamard_transform(y);
        double energy = 0;
        for (float v : y) energy += double(v) * double(v);
        const float sigma = f16_bits_to_float(float_to_f16_bits(float(std::sqrt(energy / double(padded)))));
        for (float& v : y) {
            if (sigma == 0.0f) {
                v = 0.0f;
                continue;
            }
            const double z = double(v) / double(sigma);
            const auto index = std::size_t(std::upper_bound(thresholds.begin(), thresholds.end(), z) - thresholds.begin());
            v = float(levels[index]) * sigma;
        }
        hadamard_transform(y);  // H is its own inverse (orthonormal and symmetric)
        for (std::size_t c = 0; c < cols; ++c) out.reconstruction[r * cols + c] = flips[c] * y[c];
    }
    return out;
}

}  // namespace signcut
