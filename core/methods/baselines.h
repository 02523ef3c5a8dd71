#pragma once
// The classical baselines, each on one matrix; bits count everything stored.

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

}  // namespace signcut
