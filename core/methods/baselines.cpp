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

int TruncatedSvd::extra_component_bits(double bits_per_entry) const {
    const std::size_t rank = rank_for_bits(bits_per_entry);
    if (Eigen::Index(rank) >= left_.cols()) return 0;
    const double left_over = bits_per_entry * double(rows_ * cols_) - 16.0 * double(rank * (rows_ + cols_)) - 32.0;
    const int b = left_over > 0 ? int(std::min(15.0, std::floor(left_over / double(rows_ + cols_)))) : 0;
    return b >= 2 ? b : 0;
}

Approximation TruncatedSvd::at_bits(double bits_per_entry) const {
    const double per_rank = 16.0 * double(rows_ + cols_);
    const auto rank = Eigen::Index(rank_for_bits(bits_per_entry));
    const int extra = extra_component_bits(bits_per_entry);
    if (rank == 0 && extra == 0)
        return unmet("rank 1 at 2 bits needs " +
                     std::to_string((2.0 * double(rows_ + cols_) + 32) / double(rows_ * cols_)) + " bits per entry");
    // Component `rank` at int-b: each vector rounded to b bits with an f16 absmax scale.
    const auto int_b = [extra](const Eigen::VectorXf& x) -> Eigen::VectorXf {
        const float levels = float((1 << (extra - 1)) - 1);
        const float scale = to_f16(x.cwiseAbs().maxCoeff() / levels);
        if (scale == 0.0f) return Eigen::VectorXf::Zero(x.size());
        return x.unaryExpr([&](float v) { return std::clamp(std::nearbyint(v / scale), -levels, levels) * scale; });
    };
    const Eigen::Index stored = rank + (extra > 0 ? 1 : 0);
    Eigen::MatrixXf left = left_.leftCols(stored).unaryExpr(&to_bf16),
                    right = right_.leftCols(stored).unaryExpr(&to_bf16);
    if (extra > 0) {
        left.col(rank) = int_b(left_.col(rank));
        right.col(rank) = int_b(right_.col(rank));
    }
    const std::uint64_t bits =
        std::uint64_t(rank) * std::uint64_t(per_rank) + (extra > 0 ? std::uint64_t(extra) * (rows_ + cols_) + 32 : 0);
    const std::string note =
        "rank " + std::to_string(rank) + (extra > 0 ? " + one at int" + std::to_string(extra) : "");
    Approximation out{Tensor({rows_, cols_}), bits, note, true};
    using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<RowMatrix>(out.reconstruction.data().data(), Eigen::Index(rows_), Eigen::Index(cols_)) =
        left * right.transpose();
    return out;
}

Approximation truncated_svd(const Tensor& matrix, double bits_per_entry) {
    return TruncatedSvd(matrix).at_bits(bits_per_entry);
}

}  // namespace signcut
