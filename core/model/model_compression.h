#pragma once
// Compressing a whole checkpoint: every selected float tensor of a checkpoint (a .safetensors
// file, a Hugging Face index with its shards, or a folder holding either) is stored by a method
// of the registry (signed cuts by default; in parallel, within a memory budget), everything
// else is kept as it is, and the result is one .scdz file. The work is split in files with one
// job each: compression_plan (what happens to each tensor, and its budget), global_allocation
// (one budget for the whole checkpoint), stored_tensor (a tensor's stored form and back),
// compression_schedule (running tensors within the memory limit) and checkpoint_assembly. A run that is interrupted
// resumes where it stopped: each finished tensor is saved at once (atomically) in OUT.scdz.parts/, and OUT.scdz itself
// only appears, complete, at the end.
//
// The work can be split among N processes on machines sharing a filesystem (options.shard):
// each computes only its share of the tensors into OUT.scdz.parts/, and a last run with
// merge_only assembles OUT.scdz, byte for byte what one process would have written.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/tensor_report.h"
#include "model/shard_plan.h"
#include "scd/decomposition.h"
#include "scd/outliers.h"
#include "tensor/enum_names.h"

namespace signcut {

class ScdzReader;

// How a tensor of order > 2 is decomposed, after dropping its axes of size 1 (a 1×1
// convolution is a matrix): unfolded as n_0 × (the rest), as (the rest) × n_last, or as the
// order-k tensor itself (signed cuts only; the other methods take n_0 × (the rest)).
enum class FlattenRule { first, last, tensor };
template <>
struct EnumNames<FlattenRule> {
    static constexpr std::array<EnumName<FlattenRule>, 3> names{
        {{FlattenRule::first, "first"}, {FlattenRule::last, "last"}, {FlattenRule::tensor, "tensor"}}};
};

// uniform: every tensor gets bits_per_entry. global: bits_per_entry is the budget of the whole
// checkpoint (of the tensors compressed), shared out by global_allocation.h.
enum class BudgetAllocation { uniform, global };
template <>
struct EnumNames<BudgetAllocation> {
    static constexpr std::array<EnumName<BudgetAllocation>, 2> names{
        {{BudgetAllocation::uniform, "uniform"}, {BudgetAllocation::global, "global"}}};
};
// What a global allocation minimises: Σ of the tensors' squared relative errors, each tensor
// counted once (tensors), or weighted by its entries (entries).
enum class ErrorWeighting { tensors, entries };
template <>
struct EnumNames<ErrorWeighting> {
    static constexpr std::array<EnumName<ErrorWeighting>, 2> names{
        {{ErrorWeighting::tensors, "tensors"}, {ErrorWeighting::entries, "entries"}}};
};

struct ModelCompressionOptions {
    double bits_per_entry = 8.0;  // budget per tensor (or of the whole checkpoint), everything stored included
    // How tensors are stored: a method with a stored form (methods/method.h: storable_method_names)
    // or "best" (every one of them on each tensor, the lowest error kept).
    std::string method = "scd";
    BudgetAllocation allocate = BudgetAllocation::uniform;
    ErrorWeighting weighting = ErrorWeighting::tensors;
    std::string include;  // ECMAScript regex on tensor names; empty: every tensor
    std::string exclude;  // empty: none
    FlattenRule flatten = FlattenRule::first;
    std::uint64_t memory_limit_bytes = std::uint64_t(4) << 30;  // for the tensors in flight (capped by memory_guard.h)
    std::uint64_t seed = 1;
    CoeffPrecision precision = CoeffPrecision::f32;
    OutlierPolicy outliers{.automatic = true};  // scd: entries kept apart (scd/outliers.h)
    int threads = 0;                            // 0: all cores
    std::optional<ShardSpec> shard;             // compute only this share, assemble nothing
    bool merge_only = false;                    // compute nothing, assemble OUT.scdz from the finished parts
    // Set from another thread to stop the run: each running decomposition stops within one pass
    // over its residual (DecomposeOptions::cancel), compress_model throws CompressionCancelled and OUT.scdz is not
    // written (tensors finished before stay in OUT.scdz.parts/, for a later run to resume).
    const std::atomic<bool>* cancel = nullptr;
};

class CompressionCancelled : public std::runtime_error {
public:
    CompressionCancelled() : std::runtime_error("compression cancelled") {}
};

// merge_only found tensors that no process has finished yet.
class MissingPartsError : public std::runtime_error {
public:
    MissingPartsError(std::vector<std::string> tensors, const std::string& message)
        : std::runtime_error(message), missing(std::move(tensors)) {}
    std::vector<std::string> missing;
};

struct ModelProgress {
    std::size_t tensors_done = 0, tensors_total = 0;  // decomposed tensors only
    std::uint64_t bytes_done = 0, bytes_total = 0;    // of their source data
    double seconds = 0.0;
};

// Estimated peak memory of storing one tensor of `shape` (as planned) by the options' method at
// their budget (model/stored_tensor.h: store_memory_bytes).
std::uint64_t decomposition_memory_bytes(const Shape& shape, const ModelCompressionOptions& options);

// Throws FileError for unreadable input or output, std::invalid_argument for bad options
// (an unknown method, a bad pattern, a tensor alone above the memory limit, parts of a run with other settings),
// MissingPartsError when merge_only finds unfinished tensors. `progress` is called from worker
// threads, one call at a time. Returns every tensor's report, or with options.shard only those
// of the share.
std::vector<TensorReport> compress_model(const std::filesystem::path& input, const std::filesystem::path& output,
                                         const ModelCompressionOptions& options,
                                         const std::function<void(const ModelProgress&)>& progress = {});

// The per-tensor reports of a .scdz file.
std::vector<TensorReport> scdz_reports(const ScdzReader& reader);
std::vector<TensorReport> scdz_reports(const std::filesystem::path& path);

}  // namespace signcut
