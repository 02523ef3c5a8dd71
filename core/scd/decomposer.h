#pragma once
// The greedy signed cut decomposition as a streaming computation: each step finds one cut
// on the residual by alternating sign maximisation, subtracts it and appends it.

#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "scd/decomposition.h"
#include "simd/kernels.h"
#include "scd/cut_engine.h"
#include "scd/outliers.h"
#include "tensor/tensor.h"

namespace signcut {

// When to stop adding cuts; the first rule reached wins. With no rule set the
// decomposition stops at the width whose storage equals a bf16 copy (16 bits per entry).
struct StopRule {
    std::optional<std::size_t> width;
    std::optional<double> bits_per_entry;         // .scd bytes · 8 / entries, headers included
    std::optional<double> target_relative_error;  // ‖R_w‖ / ‖A‖; capped at the f32-equal width
};

struct DecomposeOptions {
    StopRule stop;
    std::uint64_t seed = 1;
    int max_iterations = 100;  // alternation sweeps per cut
    CoeffPrecision precision = CoeffPrecision::f32;
    OutlierPolicy outliers;            // entries kept apart (outliers.h); none by default: the plain algorithm
    int threads = 0;                   // 0: all cores
    const Kernels* kernels = nullptr;  // nullptr: active_kernels()
    // Whether a matrix or photo keeps Rᵀ beside the residual (fast) or not (low: half the
    // memory, the same cuts bit for bit, slower); automatic: fast if it fits under the memory
    // limit. See MatrixCutEngine and engine_memory().
    EngineMemory memory = EngineMemory::automatic;
    // Set from another thread, it stops the run as cancel() does (within one pass): for callers
    // that hold a flag of their own rather than the Decomposer.
    const std::atomic<bool>* cancel = nullptr;
};

enum class StopReason { running, width, bits_per_entry, target_error, exhausted, cancelled };
template <>
struct EnumNames<StopReason> {
    static constexpr std::array<EnumName<StopReason>, 6> names{{{StopReason::running, "running"},
                                                                 {StopReason::width, "width"},
                                                                 {StopReason::bits_per_entry, "bits_per_entry"},
                                                                 {StopReason::target_error, "target_error"},
                                                                 {StopReason::exhausted, "exhausted"},
                                                                 {StopReason::cancelled, "cancelled"}}};
};
inline const char* stop_reason_name(StopReason reason) { return to_string(reason); }

struct Progress {
    std::size_t width = 0;
    std::size_t max_width = 0;
    double relative_error = 1.0;
    double fraction = 0.0;  // of the work the stop rule implies, in [0, 1]
};

class Decomposer {
public:
    // The input becomes the residual (pass it with std::move to avoid a copy); throws
    // std::invalid_argument on bad options or non-finite input. Matrices run on the
    // incremental MatrixCutEngine (order-3 tensors as matrices of channel vectors), other
    // orders and very long, thin shapes on the ContractionCutEngine.
    Decomposer(Tensor input, DecomposeOptions options);
    ~Decomposer();
    Decomposer(const Decomposer&) = delete;
    Decomposer& operator=(const Decomposer&) = delete;

    // Finds, subtracts and appends the next cut. Returns false, and sets stop_reason(),
    // when a stop rule holds or cancel() was called (a cut in progress is then discarded).
    bool step();
    // Steps until it stops, calling on_cut after every cut; returns why it stopped.
    StopReason run(const std::function<void(const Decomposer&)>& on_cut = {});
    // Thread-safe; takes effect within one pass over the residual.
    void cancel() { cancelled_.store(true, std::memory_order_relaxed); }

    const Decomposition& decomposition() const { return decomposition_; }
    StopReason stop_reason() const { return stop_reason_; }
    // The widest the stop rule allows.
    std::size_t max_width() const { return max_width_; }
    Progress progress() const;
    // Alternation sweeps the last cut took, and its value ⟨R, sign tensor⟩.
    int last_iterations() const { return last_iterations_; }
    double last_cut_value() const { return last_cut_value_; }
    // The current residual in the input's mode order (a copy).
    Tensor residual() const;
    // ‖R‖² summed directly over the residual, without copying it.
    double measure_residual_squared_norm();
    // Floats of the residual read or written so far: the memory traffic of the run.
    std::uint64_t floats_streamed() const { return engine_->floats_streamed(); }

private:
    bool cancel_requested() const;  // cancel() was called or options.cancel is set
    bool should_stop();
    void find_cut();
    // Policy `automatic`: moves apart every residual entry that buys more residual energy per
    // bit than the last cut did (gain 2cv − c²N), as far as the bit budget allows.
    void keep_outliers_apart(double cut_gain);
    // Takes the entries (with their residual values) apart: the engine's R loses the stored
    // values, the decomposition keeps them, and the width limit pays for their bits.
    void take_apart(std::span<const std::uint64_t> indices, std::span<const float> residual_values);

    DecomposeOptions options_;
    const Kernels& kernels_;
    std::unique_ptr<oneapi::tbb::task_arena> arena_;
    std::unique_ptr<CutEngine> engine_;  // MatrixCutEngine where it suits, else ContractionCutEngine
    Decomposition decomposition_;
    std::size_t max_width_ = 0;
    StopReason width_limit_reason_ = StopReason::width;  // the rule that set max_width_
    StopReason stop_reason_ = StopReason::running;
    std::atomic<bool> cancelled_{false};
    std::vector<std::uint64_t> cut_words_;  // the found cut's signs as the decomposition stores them
    int last_iterations_ = 0;
    double last_cut_value_ = 0.0;
};

// The widest decomposition the stop rule allows for this shape (with `outliers` entries kept
// apart at `outlier_widths` distinct widths), and the rule that sets it.
std::size_t width_limit(const Shape& shape, const DecomposeOptions& options, StopReason* reason = nullptr,
                        std::size_t outliers = 0, std::size_t outlier_widths = 0);

// Bytes a Decomposer needs beside the input it is given (which becomes its residual): what the
// engine keeps and the cuts, twice. The one memory estimate of a decomposition.
std::uint64_t decomposer_memory_bytes(const Shape& shape, const DecomposeOptions& options);
// options.memory, with automatic resolved: fast when the input and what decomposing it with
// fast takes beside it fit under memory_limit_bytes(), else low.
EngineMemory engine_memory(const Shape& shape, const DecomposeOptions& options);

// Runs a whole decomposition; a convenience over Decomposer.
Decomposition decompose(const Tensor& input, const DecomposeOptions& options);

}  // namespace signcut
