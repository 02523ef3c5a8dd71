#pragma once
// One cut found step by step, for teaching: the alternating sign maximisation on a given
// residual, recording every mode's signs and the cut value v = ⟨R, x^(1) ⊗ … ⊗ x^(k)⟩ after
// each update, then the coefficient and the residual norm before and after. It follows the
// engine exactly (same seeded start, update order and stopping rule) in plain double
// arithmetic, so it is slow but easy to read, and its result is the engine's next cut.

#include <cstdint>
#include <vector>

#include "scd/decomposer.h"
#include "tensor/tensor.h"

namespace signcut {

using SignVector = std::vector<std::int8_t>;  // ±1

struct CutStep {
    int sweep = 0;                  // alternation sweep, from 1
    std::size_t mode = 0;           // the mode whose signs this step set
    double value = 0.0;             // the cut value after the step
    std::vector<SignVector> signs;  // every mode's signs after the step
};

struct CutTrace {
    std::vector<SignVector> start;  // before the first step (mode 0 is set by it; shown as +1)
    std::vector<CutStep> steps;
    int sweeps = 0;
    double value = 0.0;                                            // v of the cut
    float coeff = 0.0f;                                            // c = v / Π n_i, rounded to the storage precision
    double residual_norm_before = 0.0, residual_norm_after = 0.0;  // ‖R‖_F, ‖R − c·(sign tensor)‖_F
    const std::vector<SignVector>& signs() const { return steps.empty() ? start : steps.back().signs; }
};

// The cut number `cut_index` of `residual` (from the seeded start the engine gives that cut,
// cut_start.h), with the seed, precision and sweep limit of `options`.
CutTrace trace_cut(const Tensor& residual, std::size_t cut_index, const DecomposeOptions& options);

// x^(1) ⊗ … ⊗ x^(k) as a tensor of ±1.
Tensor sign_tensor(const std::vector<SignVector>& signs);

}  // namespace signcut
