#pragma once
// Double binary factorisation (DBF): W ≈ diag(a) · S1 · diag(m) · S2 · diag(b) with
// S1 ∈ {±1}^{rows×k}, S2 ∈ {±1}^{k×cols}; inference is scale → binary → scale → binary →
// scale. Stored: k·(rows + cols) sign bits + 16·(rows + k + cols) bits of f16 scales.
//
// Fitting here is exact sign coordinate descent with least-squares scales, not the authors'
// ADMM: start from the truncated SVD (S1, S2 the signs of U√Σ and √Σ Vᵀ, random signs beyond
// the rank, least-squares scales), then each iteration flips every sign of S1 that lowers
// the error (row by row, exactly), the same for S2 (column by column), and refits the row,
// column and middle scales by least squares. No step can raise the error, so it falls (or
// stays) with every iteration; error_by_iteration records it.
//
// Cost per iteration: O(k·rows·cols + k²·(rows + cols) + k³), so budgets whose k exceeds
// the matrix sides (above ~2 bits per entry) are slow on large matrices.

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
