#pragma once
// The per-tensor report of a compression as a file: one row per tensor with what was done to
// it (the method, or why it was kept), its bits per entry, error, seconds and the shard
// ("K/N") of the process that computed it.

#include <filesystem>
#include <string>
#include <vector>

#include "model/model_compression.h"

namespace signcut {

// "decomposed", or "kept (why)".
std::string report_kind(const TensorReport& r);

// Every field of a report row as visit(key, value, of_decomposition), in one order: the JSON
// report's rows and the Python module's dicts are both made here (the CSV report keeps its
// documented columns). of_decomposition marks the fields that describe a decomposition, which
// the JSON report leaves out for tensors kept as they are.
template <typename Visit>
void for_each_report_field(const TensorReport& r, Visit&& visit) {
    visit("name", r.name, false);
    visit("dtype", r.dtype, false);
    visit("shape", r.shape, false);
    visit("kind", report_kind(r), false);
    visit("decomposed", r.decomposed, false);
    visit("kept_because", r.kept_because, false);
    visit("bits_per_entry", r.bits_per_entry, false);
    visit("stored_bytes", r.stored_bytes, false);
    visit("method", r.method, true);
    visit("budget", r.budget, true);
    visit("decomposed_shape", r.decomposed_shape, true);
    visit("width", r.width, true);
    visit("relative_error", r.relative_error, true);
    visit("entries_apart", r.entries_apart, true);
    visit("runner_up", r.runner_up, true);
    visit("runner_up_error", r.runner_up_error, true);
    visit("fallback_because", r.fallback_because, true);
    visit("seconds", r.seconds, true);
    visit("shard", r.shard, true);
    visit("resumed", r.resumed, true);
}

// CSV with a header line: name, dtype, shape, kind, method, decomposed_shape, width,
// bits_per_entry, relative_error, seconds, stored_bytes, shard, resumed, budget, entries_apart,
// runner_up, runner_up_error, fallback_because. Written atomically.
void write_report_csv(const std::filesystem::path& path, const std::vector<TensorReport>& reports);

// The rows of for_each_report_field as a JSON array of objects. Written atomically.
void write_report_json(const std::filesystem::path& path, const std::vector<TensorReport>& reports);

}  // namespace signcut
