#include "methods/kashin.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "tensor/float16.h"

namespace signcut {
namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Eigen::Map<const Matrix> view(const Tensor& t) {
    return {t.data().data(), Eigen::Index(t.dim(0)), Eigen::Index(t.dim(1))};
}
Eigen::Map<Matrix> view(Tensor& t) { return {t.data().data(), Eigen::Index(t.dim(0)), Eigen::Index(t.dim(1))}; }

Matrix basis_matrix(std::size_t n, std::uint64_t seed) {
    const std::vector<float> q = kashin_basis(n, seed);
    return Eigen::Map<const Matrix>(q.data(), Eigen::Index(n), Eigen::Index(n));
}

// Seeds of the two sides' transforms.
std::uint64_t left_seed(std::uint64_t seed) { return seed * 2 + 1; }
std::uint64_t right_seed(std::uint64_t seed) { return seed * 2 + 2; }

// Clips x to [−level, level] in place and returns the clipped part (what was kept).
Matrix clip(const Matrix& x, float level) { return x.cwiseMax(-level).cwiseMin(level); }

float rms(const Matrix& x) { return float(std::sqrt(double(x.squaredNorm()) / double(x.size()))); }

float to_f16(float x) { return f16_bits_to_float(float_to_f16_bits(x)); }

}  // namespace

std::vector<float> kashin_basis(std::size_t n, std::uint64_t seed) {
    // Rows k of the orthonormal DCT-II: α_k cos(π(2i+1)k / 2n), columns scaled by ±1.
    std::mt19937_64 rng(seed);
    std::vector<float> flips(n);
    for (float& f : flips) f = (rng() & 1) ? -1.0f : 1.0f;
    std::vector<float> q(n * n);
    for (std::size_t k = 0; k < n; ++k) {
        const double alpha = std::sqrt((k == 0 ? 1.0 : 2.0) / double(n));
        for (std::size_t i = 0; i < n; ++i)
            q[k * n + i] = float(alpha * std::cos(std::numbers::pi * double(2 * i + 1) * double(k) / double(2 * n))) * flips[i];
    }
    return q;
}

KashinSplit kashin_split(const Tensor& matrix, std::uint64_t seed) {
    const Matrix q1 = basis_matrix(matrix.dim(0), left_seed(seed)), q2 = basis_matrix(matrix.dim(1), right_seed(seed));
    Matrix residual = view(matrix);
    const double target = 1e-6 * double(residual.norm());
    Matrix u = Matrix::Zero(residual.rows(), residual.cols()), v = u;
    KashinSplit split;
    for (split.rounds = 0; split.rounds < 40 && double(residual.norm()) > target; ++split.rounds) {
        const Matrix kept_u = clip(residual, float(kKashinClip) * rms(residual));
        u += kept_u;
        residual -= kept_u;
        const Matrix image = q1 * residual * q2.transpose();
        const Matrix kept_v = clip(image, float(kKashinClip) * rms(image));
        v += kept_v;
        residual -= q1.transpose() * kept_v * q2;
    }
    split.converged = double(residual.norm()) <= target;
    u += residual;  // keeps X = U + Q1ᵀ V Q2 exact whatever happened
    split.u = Tensor(matrix.shape());
    split.v = Tensor(matrix.shape());
    view(split.u) = u;
    view(split.v) = v;
    return split;
}

Tensor kashin_synthesis(const Tensor& v, std::uint64_t seed) {
    const Matrix q1 = basis_matrix(v.dim(0), left_seed(seed)), q2 = basis_matrix(v.dim(1), right_seed(seed));
    Tensor out(v.shape());
    view(out) = q1.transpose() * view(v) * q2;
    return out;
}

std::uint64_t quantize_with_centroids(Tensor& matrix, int bits) {
    const std::size_t rows = matrix.dim(0), cols = matrix.dim(1);
    const std::size_t blocks = (rows + kKashinBlockRows - 1) / kKashinBlockRows;
    std::vector<float> scales(blocks, 0.0f);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c)
            scales[r / kKashinBlockRows] = std::max(scales[r / kKashinBlockRows], std::fabs(matrix[r * cols + c]));
    for (float& s : scales) s = to_f16(s);
    std::vector<float> scaled(matrix.size());
    for (std::size_t i = 0; i < matrix.size(); ++i) {
        const float s = scales[(i / cols) / kKashinBlockRows];
        scaled[i] = s > 0 ? matrix[i] / s : 0.0f;
    }
    // 1-D k-means (Lloyd) on the scaled entries, started at evenly spaced quantiles.
    std::vector<float> sorted = scaled;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t count = std::size_t(1) << bits;
    std::vector<double> centroids(count);
    for (std::size_t k = 0; k < count; ++k) centroids[k] = sorted[(2 * k + 1) * sorted.size() / (2 * count)];
    std::vector<float> thresholds(count - 1);
    for (int iteration = 0; iteration < 30; ++iteration) {
        for (std::size_t k = 0; k + 1 < count; ++k) thresholds[k] = float(0.5 * (centroids[k] + centroids[k + 1]));
        std::vector<double> sum(count, 0.0);
        std::vector<std::size_t> members(count, 0);
        std::size_t k = 0;
        for (float x : sorted) {  // sorted: the cluster index only grows
            while (k + 1 < count && x > thresholds[k]) ++k;
            sum[k] += x;
            ++members[k];
        }
        for (std::size_t c = 0; c < count; ++c)
            if (members[c]) centroids[c] = sum[c] / double(members[c]);
    }
    for (double& c : centroids) c = to_f16(float(c));
    for (std::size_t k = 0; k + 1 < count; ++k) thresholds[k] = float(0.5 * (centroids[k] + centroids[k + 1]));
    for (std::size_t i = 0; i < matrix.size(); ++i) {
        const auto k = std::size_t(std::upper_bound(thresholds.begin(), thresholds.end(), scaled[i]) - thresholds.begin());
        matrix[i] = float(centroids[k]) * scales[(i / cols) / kKashinBlockRows];
    }
    return std::uint64_t(bits) * matrix.size() + 16ull * blocks + 16ull * count;
}

Approximation kashin_quantization(const Tensor& matrix, double bits_per_entry, std::uint64_t seed) {
    const double entries = double(matrix.size());
    const double blocks = double((matrix.dim(0) + kKashinBlockRows - 1) / kKashinBlockRows);
    // One factor at b bits: its entries, f16 block scales and 2^b f16 centroids.
    const auto factor_bits = [&](int b) { return double(b) * entries + 16.0 * blocks + 16.0 * double(1 << b); };
    // The most bits in all that fit, U taking the odd one (b_u = b_v or b_v + 1, at most 4 each).
    int bu = 0, bv = 0;
    for (int total = 8; total >= 2 && bu == 0; --total) {
        const int v = total / 2, u = total - v;
        if (factor_bits(u) + factor_bits(v) <= bits_per_entry * entries) bu = u, bv = v;
    }
    if (bu == 0)
        return unmet("two 1-bit factors need " + std::to_string(2.0 * factor_bits(1) / entries) + " bits per entry");
    KashinSplit split = kashin_split(matrix, seed);
    Approximation out;
    out.bits = quantize_with_centroids(split.u, bu) + quantize_with_centroids(split.v, bv);
    out.reconstruction = kashin_synthesis(split.v, seed);
    for (std::size_t i = 0; i < matrix.size(); ++i) out.reconstruction[i] += split.u[i];
    out.note = std::to_string(bu) + "+" + std::to_string(bv) + " bits, " + std::to_string(split.rounds) + " rounds" +
               (split.converged ? "" : ", did not converge (remainder kept in U)");
    return out;
}

}  // namespace signcut
