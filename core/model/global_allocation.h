#pragma once
// One budget for a whole checkpoint (--allocate global): B bits per entry over all the tensors
// stored, shared out so that the sum of their squared relative errors is smallest, each tensor
// counted once (a network is hurt by its worst layers, not in proportion to their size) or
// weighted by its entries. From each tensor's error against its bits (its best method's, at two
// budgets per octave from B/4 to min(4B, 16); signed cuts' whole curve from one decomposition;
// a bf16 copy is a point on every curve), the budgets are chosen greedily along the lower
// convex hulls (methods/bit_allocation.h, as the rows of a matrix get their widths), the total
// within B. Small tensors then get many bits for little of the budget.
//
// Data-free: the DBF paper (Boža & Macko) sets per-layer ratios from activation statistics,
// which a tool that sees only the weights does not have; the relative error stands in for them.

#include <cstdint>
#include <string>
#include <vector>

#include "io/sharded_checkpoint.h"
#include "methods/method.h"
#include "model/model_compression.h"

namespace signcut {

// A point of a tensor's curve: at `budget` bits per entry, `method` stores it in `bits` with
// this relative error squared.
struct CurvePoint {
    double budget = 0;
    std::string method;
    std::uint64_t bits = 0;
    double squared_error = 0;
};

// The budgets of every curve for a global budget of `bits_per_entry`.
std::vector<double> curve_budgets_for(double bits_per_entry);

// The lowest error of `methods` on `values` (planned shape) at each of `budgets`, plus the bf16
// point; points whose bits do not grow are left out.
std::vector<CurvePoint> error_curve(const Tensor& values, const std::vector<std::string>& methods,
                                    const MethodOptions& options, const std::vector<double>& budgets);

// The chosen point of each curve: Σ bits ≤ total_bits, Σ weighted squared errors smallest along
// the hulls. Throws std::invalid_argument when even the lowest points exceed the total.
std::vector<CurvePoint> allocate_points(const std::vector<std::vector<CurvePoint>>& curves,
                                        const std::vector<std::uint64_t>& entries, double total_bits,
                                        ErrorWeighting weighting);

// Sets budget and method of every stored tensor of `reports` for options.bits_per_entry over
// all of them (computing every curve, in parallel within the memory limit).
void allocate_globally(const ShardedCheckpoint& checkpoint, std::vector<TensorReport>& reports,
                       const ModelCompressionOptions& options);

}  // namespace signcut
