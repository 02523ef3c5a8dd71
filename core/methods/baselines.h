#pragma once
// The classical baselines, each on one matrix; bits count everything stored.

#include <Eigen/Dense>

#include <cstdint>
#include <span>

#include "methods/method.h"

namespace signcut {

// Round to nearest f16 or bf16: 16 bits per entry.
Approximation round_to_f16(const Tensor& matrix);
Approximation round_to_bf16(const Tensor& matrix);

// Truncated SVD A ≈ U_k Σ_k V_kᵀ with U_kΣ_k and V_k stored in bf16: 16·k·(m + n) bits. The
// bits left below the next bf16 component go to component k + 1 at a lower precision: its two
// vectors as symmetric int-b (2 ≤ b ≤ 15) with one f16 absmax scale each, b·(m + n) + 32 bits.
// Stored form: b in 4 bits (0: no extra component; counted), the k bf16 columns of U_kΣ_k, then
// those of V_k, then the extra component's two f16 scales, each before its b-bit codes
// (v + 2^(b−1) − 1). The rank is what the length leaves.
Approximation truncated_svd(const Tensor& matrix, double bits_per_entry);
// The fewest bits of a stored form with anything in it: the extra component alone at b = 2.
std::uint64_t svd_minimum_bits(std::size_t rows, std::size_t cols);
// The reconstruction from its stored form; throws std::invalid_argument.
Tensor load_truncated_svd(std::span<const char> payload, const Shape& shape);

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
