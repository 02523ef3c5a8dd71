#pragma once
// Dense products on all cores with a result that does not depend on the thread count:
// the rows of the left factor are cut into fixed blocks (Eigen's own GEMM is single-threaded
// here), so each output row is summed the same way whoever computes it.

#include <Eigen/Dense>

#include <oneapi/tbb/parallel_for.h>

namespace signcut {

inline constexpr Eigen::Index kProductRowBlock = 64;

// out = lhs · rhs (out is resized).
template <typename Lhs, typename Rhs, typename Out>
void parallel_product(const Lhs& lhs, const Rhs& rhs, Out& out) {
    const Eigen::Index rows = lhs.rows();
    out.resize(rows, rhs.cols());
    const Eigen::Index blocks = (rows + kProductRowBlock - 1) / kProductRowBlock;
    oneapi::tbb::parallel_for(Eigen::Index(0), blocks, [&](Eigen::Index block) {
        const Eigen::Index first = block * kProductRowBlock;
        const Eigen::Index count = std::min(kProductRowBlock, rows - first);
        out.middleRows(first, count).noalias() = lhs.middleRows(first, count) * rhs;
    });
}

// In the left factor's scalar type (float products stay float).
template <typename Lhs, typename Rhs>
Eigen::Matrix<typename Lhs::Scalar, Eigen::Dynamic, Eigen::Dynamic> parallel_product(const Lhs& lhs, const Rhs& rhs) {
    Eigen::Matrix<typename Lhs::Scalar, Eigen::Dynamic, Eigen::Dynamic> out;
    parallel_product(lhs, rhs, out);
    return out;
}

}  // namespace signcut
