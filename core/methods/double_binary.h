#pragma once
// Double binary factorisation (DBF): W ≈ diag(a) · S1 · diag(m) · S2 · diag(b) with
// S1 ∈ {±1}^{rows×k}, S2 ∈ {±1}^{k×cols}; inference is scale → binary → scale → binary →
// scale. Stored: k·(rows + cols) sign bits + 16·(rows + k + cols) bits of f16 scales.
//
// Fitting here is alternating projected least squares, not the authors' ADMM: start from
// the truncated SVD (S1, S2 the signs of U√Σ and √Σ Vᵀ, scales from their magnitudes),
// then repeat: new signs of S1 from the least-squares left factor for the current right
// factor, least-squares scales for the fixed signs, and the same for S2. The best iterate
// is kept, so the error never rises with the iteration count.

#include <vector>

#include "methods/method.h"

namespace signcut {

struct DbfResult {
    Approximation approximation;
    std::size_t middle = 0;              // k
    std::vector<double> error_by_iteration;  // relative error after each iteration (best so far)
};

std::uint64_t dbf_bits(std::size_t rows, std::size_t cols, std::size_t middle);
// The middle dimension k whose storage fits the budget (0 if none does).
std::size_t dbf_middle_for_budget(std::size_t rows, std::size_t cols, double bits_per_entry);

DbfResult double_binary_factorisation(const Tensor& matrix, std::size_t middle, int iterations = 20);

}  // namespace signcut
