#pragma once
// The strategy a Decomposer drives: it owns the residual R, finds the next signed cut on it
// by alternating sign maximisation from the seeded start (cut_start.h) and subtracts it.
// MatrixCutEngine (matrices and order-3 tensors, updated incrementally) and
// ContractionCutEngine (any order, a full pass over R per mode update) implement it; the
// Decomposer keeps the stop rules, the coefficient rounding and the norm bookkeeping.

#include <functional>
#include <cstdint>
#include <span>
#include <vector>

#include "tensor/enum_names.h"
#include "tensor/tensor.h"

namespace signcut {

// Whether MatrixCutEngine keeps Rᵀ beside R: fast (columns stream contiguously) or low (R
// only: half the memory, the same cuts bit for bit, column flips slower); automatic is fast
// when that fits under the memory limit (memory_guard.h), else low.
enum class EngineMemory { automatic, fast, low };
template <>
struct EnumNames<EngineMemory> {
    static constexpr std::array<EnumName<EngineMemory>, 3> names{
        {{EngineMemory::automatic, "auto"}, {EngineMemory::fast, "fast"}, {EngineMemory::low, "low"}}};
};

struct FoundCut {
    std::vector<std::vector<std::uint64_t>> signs;  // packed signs (sign_bits.h) per mode, input order
    double value = 0.0;                             // ⟨R, x^(1) ⊗ … ⊗ x^(k)⟩
    int iterations = 0;                             // alternation sweeps
    bool cancelled = false;                         // cancel was set; the cut is incomplete
};

class CutEngine {
public:
    virtual ~CutEngine() = default;
    // Alternates from the seeded start until the value stops growing or max_iterations
    // sweeps; returns early (cancelled) when `cancelled()` holds (asked once per pass).
    virtual FoundCut find_cut(int max_iterations, const std::function<bool()>& cancelled) = 0;
    // R ← R − coeff · x^(1) ⊗ … ⊗ x^(k) for the cut just found.
    virtual void subtract(const FoundCut& cut, float coeff) = 0;
    // ‖R‖², summed directly over the residual.
    virtual double squared_norm() = 0;
    // The entries of R with r² > squared_threshold: flat row-major indices in the input's shape
    // (increasing) and their values. Applies any waiting cuts first.
    virtual void entries_above(double squared_threshold, std::vector<std::uint64_t>& indices,
                               std::vector<float>& values) = 0;
    // R[index] ← R[index] − value for each entry (flat indices as entries_above gives them),
    // right after entries_above: the entries the decomposer keeps apart (outliers.h).
    virtual void subtract_entries(std::span<const std::uint64_t> indices, std::span<const float> values) = 0;
    // The current residual in the input's mode order (a copy).
    virtual Tensor residual() const = 0;
    // Floats of R read or written so far: the memory traffic of the run.
    virtual std::uint64_t floats_streamed() const = 0;
};

}  // namespace signcut
