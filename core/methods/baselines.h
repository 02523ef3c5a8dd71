#pragma once
// The classical baselines, each on one matrix; bits count everything stored.

#include <Eigen/Dense>

#include <cstdint>

#include "methods/method.h"

namespace signcut {

// Round to nearest f16 or bf16: 16 bits per entry.
Approximation round_to_f16(const Tensor& matrix);
Approximation round_to_bf16(const Tensor& matrix);

// Truncated SVD A ≈ U_k Σ_k V_kᵀ with U_kΣ_k and V_k stored in bf16: 16·k·(m + n) bits. The
// bits left below the next bf16 component go to component k + 1 at a lower precision: its two
// vectors as symmetric int-b (2 ≤ b ≤ 15) with one f16 absmax scale each, b·(m + n) + 32 bits.
Approximation truncated_svd(const Tensor& matrix, double bits_per_entry);

// The same for many budgets of one matrix: the SVD is computed once.
class TruncatedSvd {
public:
    explicit TruncatedSvd(const Tensor& matrix);
    // The largest rank k with 16·k·(m + n) ≤ bits_per_entry · m · n.
    std::size_t rank_for_bits(double bits_per_entry) const;
    // The width b of the extra low-precision component in the bits left after rank k (0: none).
    int extra_component_bits(double bits_per_entry) const;
    Approximation at_bits(double bits_per_entry) const;

private:
    std::size_t rows_, cols_;
    Eigen::MatrixXf left_;   // U Σ
    Eigen::MatrixXf right_;  // V
};

}  // namespace signcut
