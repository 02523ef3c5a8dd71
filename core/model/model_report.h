#pragma once
// The per-tensor report of a compression as a file: one row per tensor with what was done to
// it (the method, or why it was kept), its bits per entry, error, seconds and the shard
// ("K/N") of the process that computed it.

#include <filesystem>
#include <vector>

#include "model/model_compression.h"

namespace signcut {

// CSV with a header line: name, dtype, shape, kind, method, decomposed_shape, width,
// bits_per_entry, relative_error, seconds, stored_bytes, shard, resumed. Written atomically.
void write_report_csv(const std::filesystem::path& path, const std::vector<TensorReport>& reports);

// The same rows as a JSON array of objects. Written atomically.
void write_report_json(const std::filesystem::path& path, const std::vector<TensorReport>& reports);

}  // namespace signcut
