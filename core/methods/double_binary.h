#pragma once
// Double binary factorisation (DBF): W ≈ diag(a) · S1 · diag(m) · S2 · diag(b) with
// S1 ∈ {±1}^{rows×k}, S2 ∈ {±1}^{k×cols}; inference is scale → binary → scale → binary →
// scale. Stored: k·(rows + cols) sign bits + 16·(rows + k + cols) bits of f16 scales.
//
// Fitting is the ADMM of Boža & Macko, "Addition is almost all you need: compressing neural
// networks with double binary factorization" (arXiv:2505.11076; code: github.com/usamec/
// double_binary, factorizef and find_other2). W ≈ A·diag(1/d)·B with A (rows × k) and
// B (k × cols) scaled sign matrices diag(u)·S·diag(v). Start: A and B with N(0, 1) entries
// from the seed, duals U zero. Each outer iteration t < T refits one factor with the other
// fixed, then the other (the factor on the shorter side of W first; B when W is square); the
// fixed factor X enters with its k slices scaled to unit norm, d holding those norms. A refit
// of F is three ADMM steps on ½‖X·F − Y‖² + ½λ‖F‖² subject to F = Z: solve
// (XᵀX + λI + ρI)·F = XᵀY + ρ(Z − U) by Cholesky (λ = 0.03 · mean diag XᵀX, which is 1), project
// F + U onto the scaled sign matrices (sign(F + U) times the best rank-one fit of |F + U|, five
// power iterations), then U += F − Z. The first step of a refit uses ρ = min(1, t/(T − 3))³,
// the others ρ = 1: early iterations are nearly free ridge fits, late ones hold F to its
// projection. error_by_iteration is that of the two projections after each iteration; ADMM is
// not a descent method, so it may rise a little while ρ ramps up.
// Stored form: a = u_A, m = v_A ⊙ u_B / d, b = v_B, then a least-squares refit of the three
// scale vectors (kept if it lowers the error) and f16 rounding.
// The authors also weigh W's rows and columns by norms of calibration activations and output
// gradients; signcut fits the plain Frobenius error, so those weights are 1 and left out.
//
// Precision: the ADMM (factors, duals, products, triangular solves) runs in float, twice
// double's speed in the BLAS kernels; the Gram matrices are factorised in double (a ridge of
// 0.03 keeps them conditioned below a few hundred, so the float solves lose nothing the sign
// projections would keep); the error sums, the final scale refit and the reconstruction are in double.
// Cost per iteration: per factor, X's Gram matrix (its lower triangle), XᵀY, two Cholesky
// factorisations and three k × N solves, O(k·rows·cols + k²·(rows + cols)) (about 20 GFlop
// for 1024 × 1024 at 2 bits). When k exceeds the side M of the fixed factor (4 and 8 bits on a
// photo) the solves go through the M × M system instead (Woodbury), O(k·M·N) rather than
// O(k²·N). All dense products run in fixed blocks on oneTBB: the result depends only on the
// input, the seed and the BLAS kernels, not on the thread count.

#include <cstdint>
#include <vector>

#include "methods/dbf_product.h"
#include "methods/method.h"

namespace signcut {

struct DbfResult {
    Approximation approximation;
    std::size_t middle = 0;                  // k
    std::vector<double> error_by_iteration;  // ‖W − Ŵ‖/‖W‖ after each outer iteration
    DbfFactors factors;                      // the stored form, for products from the bits
};

struct DbfOptions {
    // Outer iterations T ≥ 1: 80 is the default of the authors' factorizef. Their LLM runs
    // pass 260, which lowers the error by about 0.01 more at 3¼ times the time.
    int iterations = 80;
    std::uint64_t seed = 1;  // of the N(0, 1) starting factors
};

std::uint64_t dbf_bits(std::size_t rows, std::size_t cols, std::size_t middle);
// The middle dimension k whose storage fits the budget (0 if none does).
std::size_t dbf_middle_for_budget(std::size_t rows, std::size_t cols, double bits_per_entry);

// Throws std::invalid_argument unless matrix has order 2, middle ≥ 1 and options.iterations ≥ 1.
DbfResult double_binary_factorisation(const Tensor& matrix, std::size_t middle, const DbfOptions& options = {});

}  // namespace signcut
