#include "model/model_compression.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>

#include "io/scdz_file.h"
#include "io/sharded_checkpoint.h"
#include "model/checkpoint_assembly.h"
#include "model/compression_plan.h"
#include "model/compression_schedule.h"
#include "model/global_allocation.h"
#include "model/parts_folder.h"
#include "model/stored_tensor.h"
#include "scd/decomposer.h"
#include "tensor/memory_guard.h"

namespace signcut {
namespace {

namespace fs = std::filesystem;

// The methods run on one planned tensor: a bf16 copy where a global plan chose one, otherwise
// the run's method (every storable one for "best").
std::vector<std::string> methods_for(const TensorReport& report, const ModelCompressionOptions& options) {
    return report.method == "bf16" && options.method != "bf16" ? std::vector<std::string>{"bf16"}
                                                               : methods_to_try(options.method);
}

// Stores one tensor at its budget and saves it in the parts folder; fills in its report. A
// tensor no method can store after all is kept as it is, and its report says why.
void compress_tensor(const ShardedCheckpoint& checkpoint, std::size_t index, const ModelCompressionOptions& options,
                     const PartsFolder& parts, TensorReport& report) {
    const auto begin = std::chrono::steady_clock::now();
    const Tensor values = checkpoint.to_tensor(checkpoint.tensors()[index]).reshaped(report.decomposed_shape);
    const std::vector<std::string> methods = methods_for(report, options);
    StoreOutcome outcome = store_tensor(values, methods, method_options(options, report.budget));
    if (options.cancel && options.cancel->load()) throw CompressionCancelled();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    report.shard = options.shard ? options.shard->label() : "";
    if (!outcome.stored) {
        report.decomposed = false;
        report.kept_because = outcome.why_not;
        report.method.clear();
        parts.save(index, {}, report);
        return;
    }
    StoredTensor& stored = *outcome.stored;
    if (methods.size() == 1 && methods.front() != options.method && options.method != "best")
        report.fallback_because = "the global plan gave it 16 bits per entry, a bf16 copy";
    report.method = stored.method;
    report.decomposed_shape = stored.shape;
    report.width = stored.width;
    report.entries_apart = stored.entries_apart;
    report.bits_per_entry = stored.bits_per_entry;
    report.relative_error = stored.relative_error;
    report.stored_bytes = stored.payload.size();
    report.runner_up = outcome.runner_up;
    report.runner_up_error = outcome.runner_up_error;
    parts.save(index, stored.payload, report);
}

[[noreturn]] void throw_missing(const std::vector<std::size_t>& pending, const std::vector<TensorReport>& reports,
                                std::size_t share_size, const PartsFolder* parts, const fs::path& folder) {
    std::vector<std::string> missing;
    std::string list;
    for (std::size_t index : pending) {
        missing.push_back(reports[index].name);
        if (missing.size() <= 20)
            list += "\n  " + (parts ? parts->report(index).filename().string() + "  " : std::string()) +
                    reports[index].name;
    }
    if (missing.size() > 20) list += "\n  … and " + std::to_string(missing.size() - 20) + " more";
    throw MissingPartsError(missing, std::to_string(missing.size()) + " of " + std::to_string(share_size) +
                                         " tensors are not finished in " + folder.string() + ":" + list);
}

}  // namespace

std::uint64_t decomposition_memory_bytes(const Shape& shape, const ModelCompressionOptions& options) {
    return store_memory_bytes(shape, methods_to_try(options.method), method_options(options, options.bits_per_entry));
}

std::vector<TensorReport> compress_model(const fs::path& input, const fs::path& output,
                                         const ModelCompressionOptions& options,
                                         const std::function<void(const ModelProgress&)>& progress) {
    if (!(options.bits_per_entry > 0 && options.bits_per_entry <= 64))
        throw std::invalid_argument("bits per entry must be in (0, 64]");
    if (options.shard && options.merge_only) throw std::invalid_argument("shard and merge_only exclude each other");
    methods_to_try(options.method);  // an unknown name fails here, before any work
    const ShardedCheckpoint checkpoint(input);
    std::vector<TensorReport> reports = plan_tensors(checkpoint, options);
    if (options.allocate == BudgetAllocation::global &&
        !PartsFolder::apply_recorded_plan(output, checkpoint, options, reports)) {
        if (options.merge_only) {  // nothing was computed with this plan: every tensor is missing
            std::vector<std::size_t> stored;
            for (std::size_t i = 0; i < reports.size(); ++i)
                if (reports[i].decomposed) stored.push_back(i);
            throw_missing(stored, reports, stored.size(), nullptr, output.string() + ".parts");
        }
        allocate_globally(checkpoint, reports, options);
    }
    const std::vector<std::size_t> share = share_of(checkpoint, reports, options);
    const PartsFolder parts(output, checkpoint, options, reports);

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
    if (options.merge_only && !pending.empty()) throw_missing(pending, reports, share.size(), &parts, parts.folder());
    // Largest first: the small ones fill the gaps at the end.
    std::stable_sort(pending.begin(), pending.end(), [&](std::size_t a, std::size_t b) {
        return checkpoint.tensors()[a].entry.elements() > checkpoint.tensors()[b].entry.elements();
    });
    std::mutex progress_mutex;
    const auto started = std::chrono::steady_clock::now();
    if (progress) progress(state);
    run_within_memory(
        pending,
        [&](std::size_t index) {
            return store_memory_bytes(reports[index].decomposed_shape, methods_for(reports[index], options),
                                      method_options(options, reports[index].budget));
        },
        std::min(options.memory_limit_bytes, memory_limit_bytes()),
        [&](std::size_t index) {
            if (options.cancel && options.cancel->load()) throw CompressionCancelled();
            compress_tensor(checkpoint, index, options, parts, reports[index]);
            const SafetensorsEntry& entry = checkpoint.tensors()[index].entry;
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
    assemble_checkpoint(checkpoint, reports, parts, output);  // only now does the output appear
    std::error_code error;
    fs::remove_all(parts.folder(), error);  // a leftover folder is harmless: its job.json matches no new run
    return reports;
}

std::vector<TensorReport> scdz_reports(const fs::path& path) { return scdz_reports(ScdzReader(path)); }

std::vector<TensorReport> scdz_reports(const ScdzReader& reader) { return reader.entries(); }

}  // namespace signcut
