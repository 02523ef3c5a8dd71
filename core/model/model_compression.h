#pragma once
// Compressing a whole checkpoint: every selected float tensor of a .safetensors file is
// decomposed into signed cuts (in parallel, within a memory budget), everything else is
// kept as it is, and the result is one .scdz file. A run that is interrupted resumes where
// it stopped: each finished tensor is saved at once (atomically) in OUT.scdz.parts/, and
// OUT.scdz itself only appears, complete, at the end.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scd/decomposition.h"

namespace signcut {

class ScdzReader;

// How a tensor of order > 2 is decomposed: unfolded as n_0 × (the rest), as (the rest) ×
// n_last, or as the order-k tensor itself.
enum class FlattenRule { first, last, tensor };

struct ModelCompressionOptions {
    double bits_per_entry = 8.0;  // budget per tensor, .scd headers included
    std::string include;          // ECMAScript regex on tensor names; empty: every tensor
    std::string exclude;          // empty: none
    FlattenRule flatten = FlattenRule::first;
    std::uint64_t memory_limit_bytes = std::uint64_t(4) << 30;  // for the tensors in flight (capped by memory_guard.h)
    std::uint64_t seed = 1;
    CoeffPrecision precision = CoeffPrecision::f32;
    int threads = 0;  // 0: all cores
    // Set from another thread to stop the run: each running decomposition stops after its
    // current cut, compress_model throws CompressionCancelled and OUT.scdz is not written
    // (tensors finished before stay in OUT.scdz.parts/, for a later run to resume).
    const std::atomic<bool>* cancel = nullptr;
};

class CompressionCancelled : public std::runtime_error {
public:
    CompressionCancelled() : std::runtime_error("compression cancelled") {}
};

struct TensorReport {
    std::string name;
    std::string dtype;
    Shape shape;
    bool decomposed = false;
    std::string kept_because;  // for tensors kept as they are
    Shape decomposed_shape;
    std::size_t width = 0;
    double bits_per_entry = 0.0;
    double relative_error = 0.0;
    double seconds = 0.0;
    std::uint64_t stored_bytes = 0;
    bool resumed = false;  // finished by an earlier, interrupted run
};

struct ModelProgress {
    std::size_t tensors_done = 0, tensors_total = 0;  // decomposed tensors only
    std::uint64_t bytes_done = 0, bytes_total = 0;    // of their source data
    double seconds = 0.0;
};

// Estimated peak memory of decomposing one tensor with `elements` entries to `bits` per entry:
// its f32 copy, the engine's residual and transposed residual, and the stored cuts.
std::uint64_t decomposition_memory_bytes(std::uint64_t elements, double bits_per_entry);

// Throws FileError for unreadable input or output, std::invalid_argument for bad options
// (a bad regex, a tensor alone above the memory limit). `progress` is called from worker
// threads, one call at a time.
std::vector<TensorReport> compress_model(const std::filesystem::path& input, const std::filesystem::path& output,
                                         const ModelCompressionOptions& options,
                                         const std::function<void(const ModelProgress&)>& progress = {});

// Writes the reconstructed checkpoint with the same names and metadata. Decomposed tensors
// are written in `dtype` ("BF16", "F16", "F32"), or in their source dtype when it is empty;
// kept tensors byte for byte.
void expand_model(const std::filesystem::path& input, const std::filesystem::path& output, const std::string& dtype = "");

// The per-tensor reports of a .scdz file.
std::vector<TensorReport> scdz_reports(const ScdzReader& reader);
std::vector<TensorReport> scdz_reports(const std::filesystem::path& path);

// One CSV line per tensor: name, dtype, shape, kind, decomposed_shape, width, bits_per_entry,
// relative_error, seconds, stored_bytes. Written atomically.
void write_report_csv(const std::filesystem::path& path, const std::vector<TensorReport>& reports);

}  // namespace signcut
