#include "methods/kashin.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>

#include <oneapi/tbb/parallel_for.h>

#include "methods/bit_allocation.h"
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

// The seed and the largest width c.
constexpr std::uint64_t kFixedBits = 64 + 4;

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
            q[k * n + i] =
                float(alpha * std::cos(std::numbers::pi * double(2 * i + 1) * double(k) / double(2 * n))) * flips[i];
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

std::vector<float> kmeans_centroids(const std::vector<float>& sorted, int bits) {
    // Lloyd's iteration in 1-D, started at evenly spaced quantiles.
    const std::size_t count = std::size_t(1) << bits, n = sorted.size();
    std::vector<double> centroids(count);
    for (std::size_t k = 0; k < count; ++k) centroids[k] = n ? sorted[(2 * k + 1) * n / (2 * count)] : 0.0;
    std::vector<double> thresholds(count - 1);
    for (int iteration = 0; iteration < 30; ++iteration) {
        for (std::size_t k = 0; k + 1 < count; ++k) thresholds[k] = 0.5 * (centroids[k] + centroids[k + 1]);
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
    std::vector<float> out(count);
    for (std::size_t c = 0; c < count; ++c) out[c] = to_f16(float(centroids[c]));
    std::sort(out.begin(), out.end());
    return out;
}

namespace {

// One factor of the split, ready to be stored row by row at any width.
struct FactorCodebooks {
    std::vector<float> row_scales;              // f16 absmax per row
    std::vector<std::vector<float>> centroids;  // [b]: 2^b centroids (b = 1 … max)
};

FactorCodebooks codebooks_for(const Tensor& factor, int max_width) {
    const std::size_t rows = factor.dim(0), cols = factor.dim(1);
    FactorCodebooks books;
    books.row_scales.resize(rows);
    std::vector<float> scaled(factor.size());
    for (std::size_t r = 0; r < rows; ++r) {
        float absmax = 0;
        for (std::size_t c = 0; c < cols; ++c) absmax = std::max(absmax, std::fabs(factor[r * cols + c]));
        books.row_scales[r] = to_f16(absmax);
        for (std::size_t c = 0; c < cols; ++c)
            scaled[r * cols + c] = books.row_scales[r] > 0 ? factor[r * cols + c] / books.row_scales[r] : 0.0f;
    }
    std::sort(scaled.begin(), scaled.end());
    books.centroids.resize(std::size_t(max_width) + 1);
    oneapi::tbb::parallel_for(1, max_width + 1,
                              [&](int b) { books.centroids[std::size_t(b)] = kmeans_centroids(scaled, b); });
    return books;
}

// Row r of a factor at width b into `out` (and, if given, its centroid indices into `codes`);
// returns its squared error.
double quantize_row(const FactorCodebooks& books, std::size_t r, const float* in, float* out, std::size_t n, int b,
                    std::uint8_t* codes = nullptr) {
    double error = 0;
    if (b == 0) {
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i) sum += in[i];
        const float mean = to_f16(float(sum / double(n)));
        for (std::size_t i = 0; i < n; ++i) out[i] = mean, error += double(in[i] - mean) * double(in[i] - mean);
        return error;
    }
    const std::vector<float>& centroids = books.centroids[std::size_t(b)];
    const float scale = books.row_scales[r];
    for (std::size_t i = 0; i < n; ++i) {
        const float x = scale > 0 ? in[i] / scale : 0.0f;
        // The nearest centroid: the first at or above x, or the one before it.
        auto k = std::size_t(std::lower_bound(centroids.begin(), centroids.end(), x) - centroids.begin());
        if (k == centroids.size() || (k > 0 && x - centroids[k - 1] <= centroids[k] - x)) --k;
        if (codes) codes[i] = std::uint8_t(k);
        out[i] = centroids[k] * scale;
        error += double(in[i] - out[i]) * double(in[i] - out[i]);
    }
    return error;
}

}  // namespace

// A row at width 0 stores its f16 scale only.
constexpr std::uint64_t kRowScaleBits = 16;

// Both factors store the f16 tables of widths 1 … cap: Σ 16·2^b.
constexpr std::uint64_t tables_bits(int cap) { return 2 * 16 * ((std::uint64_t(2) << cap) - 2); }

std::uint64_t kashin_minimum_bits(std::size_t rows) {
    return mixed_widths_minimum_bits(2 * rows, kFixedBits + tables_bits(1), kRowScaleBits);  // the rows of U and V
}

Approximation kashin_quantization(const Tensor& matrix, double bits_per_entry, std::uint64_t seed) {
    constexpr int kMaxWidth = 8;
    const std::size_t rows = matrix.dim(0), cols = matrix.dim(1);
    const auto row_bits = [&](int b) { return kRowScaleBits + std::uint64_t(b) * cols; };
    const double budget = bits_per_entry * double(matrix.size());
    const double smallest = double(kashin_minimum_bits(rows));
    if (smallest > budget)
        return unmet("width 0 in every row needs " + std::to_string(smallest / double(matrix.size())) +
                     " bits per entry");

    KashinSplit split = kashin_split(matrix, seed);
    const Tensor* factors[2] = {&split.u, &split.v};
    const FactorCodebooks books[2] = {codebooks_for(split.u, kMaxWidth), codebooks_for(split.v, kMaxWidth)};
    // Units: the rows of U, then those of V, each tried at every width.
    std::vector<UnitCosts> units(2 * rows);
    oneapi::tbb::parallel_for(std::size_t(0), units.size(), [&](std::size_t unit) {
        const std::size_t f = unit / rows, r = unit % rows;
        std::vector<float> scratch(cols);
        for (int b = 0; b <= kMaxWidth; ++b) {
            units[unit].squared_error.push_back(
                quantize_row(books[f], r, factors[f]->data().data() + r * cols, scratch.data(), cols, b));
            units[unit].bits.push_back(row_bits(b));
        }
    });
    // The largest width c decides which tables are stored; on a small matrix the tables of
    // high widths cost more than they save. Each c gets its own allocation; the best is kept.
    RowWidths best;
    int best_cap = 0;
    double best_error = INFINITY;
    for (int cap = 1; cap <= kMaxWidth; ++cap) {
        std::vector<UnitCosts> capped = units;
        for (UnitCosts& unit : capped)
            unit.squared_error.resize(std::size_t(cap) + 1), unit.bits.resize(std::size_t(cap) + 1);
        const RowWidths allocation = allocate_row_widths(capped, budget - double(kFixedBits + tables_bits(cap)));
        if (allocation.widths.empty()) break;
        double error = 0;
        for (std::size_t unit = 0; unit < units.size(); ++unit)
            error += units[unit].squared_error[std::size_t(allocation.widths[unit])];
        if (error < best_error) best_error = error, best = allocation, best_cap = cap;
    }
    if (best.widths.empty()) return unmet("the k-means tables of 1 bit leave no room for the rows at this budget");
    Tensor stored[2] = {Tensor(matrix.shape()), Tensor(matrix.shape())};
    oneapi::tbb::parallel_for(std::size_t(0), units.size(), [&](std::size_t unit) {
        const std::size_t f = unit / rows, r = unit % rows;
        quantize_row(books[f], r, factors[f]->data().data() + r * cols, stored[f].data().data() + r * cols, cols,
                     best.widths[unit]);
    });
    Approximation out;
    out.bits = kFixedBits + tables_bits(best_cap) + best.bits;
    out.reconstruction = kashin_synthesis(stored[1], seed);
    for (std::size_t i = 0; i < matrix.size(); ++i) out.reconstruction[i] += stored[0][i];
    const auto mean_width = [&](std::size_t f) {
        double sum = 0;
        for (std::size_t r = 0; r < rows; ++r) sum += double(best.widths[f * rows + r]);
        return sum / double(rows);
    };
    char widths[96];
    std::snprintf(widths, sizeof widths, "U at %.2f + V at %.2f bits (widths ≤ %d), ", mean_width(0), mean_width(1),
                  best_cap);
    out.note = widths + std::to_string(split.rounds) + " rounds" +
               (split.converged ? "" : ", did not converge (remainder kept in U)");

    BitWriter payload;
    payload.put(seed, 64);
    payload.put(std::uint64_t(best_cap), 4);
    put_row_widths(payload, best);
    for (const FactorCodebooks& book : books)
        for (int b = 1; b <= best_cap; ++b)
            for (float centroid : book.centroids[std::size_t(b)]) payload.put_f16(float_to_f16_bits(centroid));
    std::vector<float> scratch(cols);
    std::vector<std::uint8_t> codes(cols);
    for (std::size_t unit = 0; unit < units.size(); ++unit) {
        const std::size_t f = unit / rows, r = unit % rows;
        const int b = best.widths[unit];
        // The row's f16 absmax, or its f16 mean at width 0 (what quantize_row wrote).
        payload.put_f16(float_to_f16_bits(b == 0 ? stored[f][r * cols] : books[f].row_scales[r]));
        if (b == 0) continue;
        quantize_row(books[f], r, factors[f]->data().data() + r * cols, scratch.data(), cols, b, codes.data());
        for (std::size_t c = 0; c < cols; ++c) payload.put(codes[c], unsigned(b));
    }
    out.payload = payload.finish_exactly(out.bits, "kashin");
    return out;
}

Tensor load_kashin_quantization(std::span<const char> payload, const Shape& shape) {
    constexpr int kMaxWidth = 8;
    const auto fail = [](const std::string& problem) { throw std::invalid_argument("kashin payload: " + problem); };
    const std::size_t rows = shape.at(0), cols = shape.at(1);
    BitReader in(payload);
    const std::uint64_t seed = in.get_u64();
    const int cap = int(in.get(4));
    if (!in.ok() || cap < 1 || cap > kMaxWidth) fail("bad header");
    const std::vector<int> widths = get_row_widths(in, 2 * rows, cap);
    if (widths.empty()) fail("bad width code");
    std::uint64_t bits = in.consumed_bits() + tables_bits(cap);
    for (int b : widths) bits += 16 + std::uint64_t(b) * cols;
    if ((bits + 7) / 8 != payload.size())
        fail(std::to_string(payload.size()) + " bytes where its widths need " + std::to_string((bits + 7) / 8));
    std::vector<float> centroids[2][kMaxWidth + 1];
    for (auto& factor : centroids)
        for (int b = 1; b <= cap; ++b)
            for (std::size_t i = 0; i < (std::size_t(1) << b); ++i)
                factor[b].push_back(f16_bits_to_float(std::uint16_t(in.get(16))));
    Tensor stored[2] = {Tensor({rows, cols}), Tensor({rows, cols})};
    for (std::size_t unit = 0; unit < 2 * rows; ++unit) {
        const std::size_t f = unit / rows, r = unit % rows;
        const int b = widths[unit];
        const float scale = f16_bits_to_float(std::uint16_t(in.get(16)));
        float* row = stored[f].data().data() + r * cols;
        if (b == 0) {
            std::fill(row, row + cols, scale);
            continue;
        }
        for (std::size_t c = 0; c < cols; ++c) row[c] = centroids[f][b][std::size_t(in.get(unsigned(b)))] * scale;
    }
    Tensor out = kashin_synthesis(stored[1], seed);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += stored[0][i];
    return out;
}

}  // namespace signcut
