#pragma once
// The classical baselines, each on one matrix; bits count everything stored.

#include <Eigen/Dense>

#include <cstdint>

#include "methods/method.h"

namespace signcut {

// Round to nearest f16 or bf16: 16 bits per entry.
Approximation round_to_f16(const Tensor& matrix);
Approximation round_to_bf16(const Tensor& matrix);

// int-b with one f16 absmax scale per row: the largest b in 1..8 that fits. b = 1 stores
// sign(x) times the row's mean |x| (the best 1-bit scale); b ≥ 2 uses the symmetric levels
// −(2^(b−1)−1) … 2^(b−1)−1 times absmax / (2^(b−1)−1).
Approximation round_to_int(const Tensor& matrix, double bits_per_entry);

// Truncated SVD A ≈ U_k Σ_k V_kᵀ with U_kΣ_k and V_k stored in bf16: 16·k·(m + n) bits.
Approximation truncated_svd(const Tensor& matrix, double bits_per_entry);

// The same for many budgets of one matrix: the SVD is computed once.
class TruncatedSvd {
public:
    explicit TruncatedSvd(const Tensor& matrix);
    // The largest rank k with 16·k·(m + n) ≤ bits_per_entry · m · n.
    std::size_t rank_for_bits(double bits_per_entry) const;
    Approximation at_bits(double bits_per_entry) const;

private:
    std::size_t rows_, cols_;
    Eigen::MatrixXf left_;   // U Σ
    Eigen::MatrixXf right_;  // V
};

}  // namespace signcut
