#include "model/model_compression.h"

#include <oneapi/tbb/parallel_for_each.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <stdexcept>

#include "io/file_access.h"
#include "io/scd_file.h"
#include "io/scdz_file.h"
#include "io/sharded_checkpoint.h"
#include "methods/method.h"
#include "methods/rtn_payload.h"
#include "model/parts_folder.h"
#include "scd/decomposer.h"
#include "tensor/memory_guard.h"

namespace signcut {
namespace {

namespace fs = std::filesystem;

Shape decomposed_shape_of(const Shape& shape, FlattenRule rule) {
    if (shape.size() <= 2 || rule == FlattenRule::tensor) return shape;
    std::size_t rest = 1;
    if (rule == FlattenRule::first) {
        for (std::size_t i = 1; i < shape.size(); ++i) rest *= shape[i];
        return {shape.front(), rest};
    }
    for (std::size_t i = 0; i + 1 < shape.size(); ++i) rest *= shape[i];
    return {rest, shape.back()};
}

std::optional<std::regex> compile(const std::string& pattern, const char* option) {
    if (pattern.empty()) return std::nullopt;
    try {
        return std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
        throw std::invalid_argument(std::string(option) + " '" + pattern +
                                    "' is not a valid regular expression: " + error.what());
    }
}

// Admits tensors while the estimated memory of those in flight stays within the limit
// (one tensor alone is always admitted, after checking it fits at all).
class MemoryGate {
public:
    explicit MemoryGate(std::uint64_t limit) : limit_(limit) {}
    void acquire(std::uint64_t bytes) {
        std::unique_lock lock(mutex_);
        released_.wait(lock, [&] { return used_ == 0 || used_ + bytes <= limit_; });
        used_ += bytes;
    }
    void release(std::uint64_t bytes) {
        {
            std::lock_guard lock(mutex_);
            used_ -= bytes;
        }
        released_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable released_;
    std::uint64_t limit_, used_ = 0;
};

// The methods with a stored form in .scdz (kScdzMethods: a payload that decodes back to the
// reconstruction): signed cuts and rtn. dbf, tcq and rotq compute a reconstruction and its
// exact bit count in signcut, not bytes yet.
void check_storable(const std::string& method) {
    if (method == "best" || std::find(kScdzMethods.begin(), kScdzMethods.end(), method) != kScdzMethods.end()) return;
    const std::vector<std::string> known = method_names();
    if (std::find(known.begin(), known.end(), method) == known.end())
        throw std::invalid_argument("--method takes scd, rtn or best (dbf, tcq, rotq: not storable yet), not '" +
                                    method + "'");
    throw std::invalid_argument(
        "--method " + method + ": not storable yet. A .scdz file holds signed cuts (scd) and rtn; " + method +
        " has no payload encoding in signcut yet ('signcut-cli compare' measures it on a tensor).");
}

// The methods a run tries on each tensor.
std::vector<std::string> methods_to_try(const std::string& method) {
    return method == "best" ? std::vector<std::string>(kScdzMethods.begin(), kScdzMethods.end())
                            : std::vector<std::string>{method};
}

// The matrix rtn quantises: the decomposed shape, or n_0 × (the rest) for --flatten tensor.
Shape rtn_shape(const Shape& shape, const Shape& decomposed) {
    return decomposed.size() == 2 ? decomposed : decomposed_shape_of(shape, FlattenRule::first);
}

// rtn's payload spends a byte a row on widths and a 28-byte header where rtn's own count has
// its width codes (≥ 1 bit a row): the budget handed to rtn leaves room for the difference.
double rtn_budget(const Shape& matrix, double bits_per_entry) {
    const double entries = double(matrix[0]) * double(matrix[1]);
    return bits_per_entry - (8.0 * double(matrix[0]) + 8.0 * 28 + 7) / entries;
}

// One tensor's stored form by one method, and its figures.
struct StoredTensor {
    std::string method;
    Shape shape;  // as stored
    std::vector<char> payload;
    std::size_t width = 0;  // cuts (scd)
    double bits_per_entry = 0, relative_error = 0;
};

DecomposeOptions decompose_options_of(const ModelCompressionOptions& options) {
    DecomposeOptions decompose_options;
    decompose_options.stop.bits_per_entry = options.bits_per_entry;
    decompose_options.seed = options.seed;
    decompose_options.precision = options.precision;
    decompose_options.outliers = options.outliers;
    decompose_options.threads = options.threads;
    decompose_options.cancel = options.cancel;  // stops a cut in progress, not only between cuts
    return decompose_options;
}

StoredTensor store_by_scd(Tensor values, const ModelCompressionOptions& options) {
    const Shape shape = values.shape();
    Decomposer decomposer(std::move(values), decompose_options_of(options));
    decomposer.run();
    if (decomposer.stop_reason() == StopReason::cancelled) throw CompressionCancelled();
    const Decomposition& d = decomposer.decomposition();
    return {
        "scd", shape, encode_scd(d, d.width()), d.width(), d.bits_per_entry(d.width()), d.relative_error(d.width())};
}

std::optional<StoredTensor> store_by_rtn(const Tensor& matrix, double bits_per_entry) {
    RtnPayload rtn = encode_rtn_payload(matrix, rtn_budget(matrix.shape(), bits_per_entry));
    if (rtn.bytes.empty()) return std::nullopt;
    double error = 0;
    for (std::size_t i = 0; i < matrix.size(); ++i)
        error += double(matrix[i] - rtn.reconstruction[i]) * double(matrix[i] - rtn.reconstruction[i]);
    const double norm = matrix.squared_norm();
    StoredTensor stored{"rtn", matrix.shape(), std::move(rtn.bytes), 0, 0.0, norm > 0 ? std::sqrt(error / norm) : 0.0};
    stored.bits_per_entry = 8.0 * double(stored.payload.size()) / double(matrix.size());
    return stored;
}

// Whether the run's method (for "best": signed cuts, tried first) can store the tensor at all.
bool fits_budget(const Shape& shape, const Shape& decomposed, const ModelCompressionOptions& options) {
    if (options.method != "rtn")
        return width_for_bits_per_entry(decomposed, options.bits_per_entry, options.precision) > 0;
    const Shape matrix = rtn_shape(shape, decomposed);
    return find_method("rtn").minimum_bits_per_entry(matrix) <= rtn_budget(matrix, options.bits_per_entry);
}

// What happens to each tensor of the checkpoint: decomposed, or kept and why.
std::vector<TensorReport> plan_tensors(const ShardedCheckpoint& checkpoint, const ModelCompressionOptions& options) {
    const std::optional<std::regex> include = compile(options.include, "--include");
    const std::optional<std::regex> exclude = compile(options.exclude, "--exclude");
    const std::uint64_t memory_limit = std::min(options.memory_limit_bytes, memory_limit_bytes());
    std::vector<TensorReport> reports;
    for (const CheckpointTensor& tensor : checkpoint.tensors()) {
        const SafetensorsEntry& entry = tensor.entry;
        TensorReport r;
        r.name = entry.name;
        r.dtype = entry.dtype;
        r.shape = entry.shape;
        r.bits_per_entry = 8.0 * double(safetensors_dtype_bytes(entry.dtype));
        r.stored_bytes = entry.end - entry.begin;
        const Shape shape = decomposed_shape_of(entry.shape, options.flatten);
        if (!is_float_dtype(entry.dtype)) r.kept_because = "dtype " + entry.dtype;
        else if (entry.shape.size() < 2) r.kept_because = "order " + std::to_string(entry.shape.size());
        else if (entry.elements() == 0) r.kept_because = "empty";
        else if (include && !std::regex_search(entry.name, *include)) r.kept_because = "not matched by --include";
        else if (exclude && std::regex_search(entry.name, *exclude)) r.kept_because = "matched by --exclude";
        else if (!fits_budget(entry.shape, shape, options))
            r.kept_because =
                options.method == "rtn" ? "rtn needs more than the budget" : "one cut needs more than the budget";
        if (r.kept_because.empty()) {
            r.decomposed = true;
            r.method = options.method;
            r.decomposed_shape = shape;
            const std::uint64_t memory = decomposition_memory_bytes(shape, options);
            if (memory > memory_limit)
                throw std::invalid_argument("tensor '" + entry.name + "' needs about " + std::to_string(memory >> 20) +
                                            " MiB to decompose, above the memory limit of " +
                                            std::to_string(memory_limit >> 20) + " MiB");
        }
        reports.push_back(std::move(r));
    }
    return reports;
}

// The decomposed tensors this run computes: all of them, or the share of options.shard.
std::vector<std::size_t> share_of(const ShardedCheckpoint& checkpoint, const std::vector<TensorReport>& reports,
                                  const ModelCompressionOptions& options) {
    std::vector<std::size_t> decomposed;
    std::vector<double> costs;  // expected cost: entries × budget
    for (std::size_t i = 0; i < reports.size(); ++i) {
        if (!reports[i].decomposed) continue;
        decomposed.push_back(i);
        costs.push_back(double(checkpoint.tensors()[i].entry.elements()) * options.bits_per_entry);
    }
    if (!options.shard) return decomposed;
    const std::vector<std::size_t> shard_of = plan_shards(costs, options.shard->count);
    std::vector<std::size_t> share;
    for (std::size_t j = 0; j < decomposed.size(); ++j)
        if (shard_of[j] == options.shard->index) share.push_back(decomposed[j]);
    return share;
}

// Stores one tensor by the run's method (by each storable one for "best", keeping the lowest
// error; scd on ties) and saves it in the parts folder; fills in its report.
void compress_tensor(const ShardedCheckpoint& checkpoint, std::size_t index, const ModelCompressionOptions& options,
                     const PartsFolder& parts, TensorReport& report) {
    const auto begin = std::chrono::steady_clock::now();
    const Tensor values = checkpoint.to_tensor(checkpoint.tensors()[index]);
    std::optional<StoredTensor> best;
    for (const std::string& method : methods_to_try(options.method)) {
        std::optional<StoredTensor> stored =
            method == "scd" ? store_by_scd(Tensor(values).reshaped(report.decomposed_shape), options)
                            : store_by_rtn(Tensor(values).reshaped(rtn_shape(report.shape, report.decomposed_shape)),
                                           options.bits_per_entry);
        if (stored && (!best || stored->relative_error < best->relative_error)) best = std::move(stored);
    }
    if (!best) throw std::invalid_argument("tensor '" + report.name + "': no method meets the budget");
    report.method = best->method;
    report.decomposed_shape = best->shape;
    report.width = best->width;
    report.bits_per_entry = best->bits_per_entry;
    report.relative_error = best->relative_error;
    report.stored_bytes = best->payload.size();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    report.shard = options.shard ? options.shard->label() : "";
    parts.save(index, best->payload, report);
}

// Bundles OUT.scdz in the checkpoint's order from the parts and the kept tensors' bytes.
void assemble(const ShardedCheckpoint& checkpoint, const std::vector<TensorReport>& reports, const PartsFolder& parts,
              const fs::path& output) {
    ScdzWriter writer(output);
    for (std::size_t i = 0; i < reports.size(); ++i) {
        if (reports[i].decomposed) writer.add(reports[i], read_file_bytes(parts.payload(i)));
        else writer.add(reports[i], checkpoint.raw(checkpoint.tensors()[i]));
    }
    writer.commit(checkpoint.metadata());
}

}  // namespace

std::uint64_t decomposition_memory_bytes(const Shape& shape, const ModelCompressionOptions& options) {
    // The tensor's values as read, their f32 copy the Decomposer takes as its residual, and what it needs beside.
    return 2 * 4 * std::uint64_t(element_count(shape)) + decomposer_memory_bytes(shape, decompose_options_of(options));
}
std::vector<TensorReport> compress_model(const fs::path& input, const fs::path& output,
                                         const ModelCompressionOptions& options,
                                         const std::function<void(const ModelProgress&)>& progress) {
    if (!(options.bits_per_entry > 0 && options.bits_per_entry <= 64))
        throw std::invalid_argument("bits per entry must be in (0, 64]");
    if (options.shard && options.merge_only) throw std::invalid_argument("--shard and --merge-only exclude each other");
    check_storable(options.method);
    const ShardedCheckpoint checkpoint(input);
    std::vector<TensorReport> reports = plan_tensors(checkpoint, options);
    const std::vector<std::size_t> share = share_of(checkpoint, reports, options);
    const PartsFolder parts(output, checkpoint, options);

    ModelProgress state;
    std::vector<std::size_t> pending;
    for (std::size_t index : share) {
        const std::uint64_t bytes = checkpoint.tensors()[index].entry.end - checkpoint.tensors()[index].entry.begin;
        state.tensors_total += 1;
        state.bytes_total += bytes;
        if (auto done = parts.load(index, reports[index])) {
            reports[index] = *done;
            state.tensors_done += 1;
            state.bytes_done += bytes;
        } else {
            pending.push_back(index);
        }
    }
    if (options.merge_only && !pending.empty()) {
        std::vector<std::string> missing;
        std::string list;
        for (std::size_t index : pending) {
            missing.push_back(reports[index].name);
            if (missing.size() <= 20)
                list += "\n  " + parts.report(index).filename().string() + "  " + reports[index].name;
        }
        if (missing.size() > 20) list += "\n  … and " + std::to_string(missing.size() - 20) + " more";
        throw MissingPartsError(missing, std::to_string(missing.size()) + " of " + std::to_string(share.size()) +
                                             " tensors are not finished in " + parts.folder().string() + ":" + list);
    }
    // Largest first: the small ones fill the gaps at the end.
    std::stable_sort(pending.begin(), pending.end(), [&](std::size_t a, std::size_t b) {
        return checkpoint.tensors()[a].entry.elements() > checkpoint.tensors()[b].entry.elements();
    });
    std::mutex progress_mutex;
    const auto started = std::chrono::steady_clock::now();
    if (progress) progress(state);
    MemoryGate gate(std::min(options.memory_limit_bytes, memory_limit_bytes()));
    oneapi::tbb::parallel_for_each(pending.begin(), pending.end(), [&](std::size_t index) {
        const SafetensorsEntry& entry = checkpoint.tensors()[index].entry;
        const std::uint64_t memory = decomposition_memory_bytes(reports[index].decomposed_shape, options);
        if (options.cancel && options.cancel->load()) throw CompressionCancelled();
        gate.acquire(memory);
        try {
            compress_tensor(checkpoint, index, options, parts, reports[index]);
        } catch (...) {
            gate.release(memory);
            throw;
        }
        gate.release(memory);
        std::lock_guard lock(progress_mutex);
        state.tensors_done += 1;
        state.bytes_done += entry.end - entry.begin;
        state.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (progress) progress(state);
    });

    if (options.shard) {  // a share of the work: the merge assembles
        std::vector<TensorReport> mine;
        for (std::size_t index : share) mine.push_back(reports[index]);
        return mine;
    }
    assemble(checkpoint, reports, parts, output);  // only now does the output appear
    std::error_code error;
    fs::remove_all(parts.folder(), error);  // a leftover folder is harmless: its job.json matches no new run
    return reports;
}

std::vector<TensorReport> scdz_reports(const fs::path& path) { return scdz_reports(ScdzReader(path)); }

std::vector<TensorReport> scdz_reports(const ScdzReader& reader) { return reader.entries(); }

}  // namespace signcut
