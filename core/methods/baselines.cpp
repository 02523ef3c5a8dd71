#include "methods/baselines.h"

#include <Eigen/SVD>

#include <algorithm>
#include <cmath>

#include "tensor/float16.h"

namespace signcut {
namespace {

float to_f16(float x) { return f16_bits_to_float(float_to_f16_bits(x)); }
float to_bf16(float x) { return bf16_bits_to_float(float_to_bf16_bits(x)); }

}  // namespace

Approximation round_to_f16(const Tensor& matrix) {
    Approximation a{matrix, 16ull * matrix.size(), {}, true};
    for (float& x : a.reconstruction.data()) x = to_f16(x);
    return a;
}

Approximation round_to_bf16(const Tensor& matrix) {
    Approximation a{matrix, 16ull * matrix.size(), {}, true};
    for (float& x : a.reconstruction.data()) x = to_bf16(x);
    return a;
}

Approximation round_to_int(const Tensor& matrix, double bits_per_entry) {
    const std::size_t rows = matrix.dim(0), cols = matrix.dim(1);
    const double entries = double(matrix.size());
    const auto cost = [&](int b) { return std::uint64_t(b) * matrix.size() + 16ull * rows; };  // + f16 scales
    int b = 0;
    for (int candidate = 8; candidate >= 1 && b == 0; --candidate)
        if (double(cost(candidate)) <= bits_per_entry * entries) b = candidate;
    if (b == 0)
        return unmet("int-1 with per-row scales needs " + std::to_string(double(cost(1)) / entries) +
                           " bits per entry");
    Approximation a{Tensor(matrix.shape()), cost(b), "int" + std::to_string(b), true};
    for (std::size_t r = 0; r < rows; ++r) {
        const float* in = &matrix.data()[r * cols];
        float* out = &a.reconstruction.data()[r * cols];
        if (b == 1) {
            double sum = 0;
            for (std::size_t c = 0; c < cols; ++c) sum += std::fabs(in[c]);
            const float scale = to_f16(float(sum / double(cols)));
            for (std::size_t c = 0; c < cols; ++c) out[c] = in[c] < 0 ? -scale : scale;
            continue;
        }
        float absmax = 0;
        for (std::size_t c = 0; c < cols; ++c) absmax = std::max(absmax, std::fabs(in[c]));
        const float levels = float((1 << (b - 1)) - 1);
        const float scale = to_f16(absmax / levels);
        if (scale == 0.0f) continue;
        for (std::size_t c = 0; c < cols; ++c)
            out[c] = std::clamp(std::nearbyint(in[c] / scale), -levels, levels) * scale;
    }
    return a;
}

TruncatedSvd::TruncatedSvd(const Tensor& matrix) : rows_(matrix.dim(0)), cols_(matrix.dim(1)) {
    using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const RowMatrix> a(matrix.data().data(), Eigen::Index(rows_), Eigen::Index(cols_));
    const Eigen::BDCSVD<Eigen::MatrixXf> svd(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
    left_ = svd.matrixU() * svd.singularValues().asDiagonal();
    right_ = svd.matrixV();
}

std::size_t TruncatedSvd::rank_for_bits(double bits_per_entry) const {
    const double per_rank = 16.0 * double(rows_ + cols_);
    return std::min(std::min(rows_, cols_), std::size_t(bits_per_entry * double(rows_ * cols_) / per_rank));
}

Approximation TruncatedSvd::at_bits(double bits_per_entry) const {
    const double per_rank = 16.0 * double(rows_ + cols_);
    const auto rank = Eigen::Index(rank_for_bits(bits_per_entry));
    if (rank == 0) return unmet("rank 1 in bf16 needs " + std::to_string(per_rank / double(rows_ * cols_)) + " bits per entry");
    const Eigen::MatrixXf left = left_.leftCols(rank).unaryExpr(&to_bf16), right = right_.leftCols(rank).unaryExpr(&to_bf16);
    Approximation out{Tensor({rows_, cols_}), std::uint64_t(rank) * std::uint64_t(per_rank), "rank " + std::to_string(rank), true};
    using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<RowMatrix>(out.reconstruction.data().data(), Eigen::Index(rows_), Eigen::Index(cols_)) = left * right.transpose();
    return out;
}

Approximation truncated_svd(const Tensor& matrix, double bits_per_entry) { return TruncatedSvd(matrix).at_bits(bits_per_entry); }

}  // namespace signcut
