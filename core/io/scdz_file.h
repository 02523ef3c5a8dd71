#pragma once
// The .scdz container: a compressed checkpoint. Every compressed tensor is stored as its
// method's payload (opaque bytes here: core/model/ hands them to the method registry), every
// tensor kept as it was (norms, biases, integer tensors) as its raw little-endian bytes, with a
// JSON index of names, dtypes, shapes, methods, per-tensor statistics and CRC-32s, and the
// source checkpoint's metadata. Layout (docs/formats.md):
//   "SCDZ\r\n\x1a\n" | u32 version (1, 2 or 3) | u32 0 | payloads… | index (JSON)
//   | u64 index offset | u64 index length | u32 CRC-32 of the index | "SCDZ"
// Version 1 holds .scd files only; version 2 names each tensor's method (scd or rtn, an older
// rtn payload) and leaves out the seconds it took, so that the file depends only on the input
// and the settings; version 3 holds any method's stored form, the entries it keeps apart and
// the budget each tensor had. All three are read.

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_access.h"
#include "io/mapped_file.h"
#include "io/tensor_report.h"
#include "scd/decomposition.h"

namespace signcut {

inline constexpr std::uint32_t kScdzVersion = 3;  // written; 1 and 2 are read too

// An index entry: the tensor's report, as the .scdz index stores it (offset, stored_bytes and
// crc32 locate its payload; kept_because, shard and resumed are not stored).
using ScdzEntry = TensorReport;

class ScdzWriter {
public:
    explicit ScdzWriter(const std::filesystem::path& path);
    // Appends a payload; offset, stored_bytes and crc32 of `entry` are filled in here.
    void add(ScdzEntry entry, std::span<const char> payload);
    // Writes the index and renames the finished file into place.
    void commit(const std::map<std::string, std::string>& metadata);

private:
    AtomicFileWriter out_;
    std::vector<ScdzEntry> entries_;
};

class ScdzReader {
public:
    // Validates the footer and the whole index (offsets inside the payload area, no
    // overlaps, known dtypes, consistent shapes) before anything else is read. Throws FileError.
    explicit ScdzReader(const std::filesystem::path& path);

    const std::vector<ScdzEntry>& entries() const { return entries_; }
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    const std::filesystem::path& path() const { return file_->path(); }
    std::uint32_t version() const { return version_; }

    // The payload, after checking its CRC-32.
    std::span<const char> payload(const ScdzEntry& entry) const;
    // The signed cuts of an "scd" entry (FileError for other methods).
    Decomposition decomposition(const ScdzEntry& entry) const;
    // A tensor kept as it was, as f32 in its shape. Throws FileError for non-float dtypes and
    // for compressed tensors (model/stored_tensor.h reconstructs those).
    Tensor raw_tensor(const ScdzEntry& entry) const;

private:
    std::unique_ptr<MappedFile> file_;
    std::vector<ScdzEntry> entries_;
    std::map<std::string, std::string> metadata_;
    std::uint32_t version_ = 0;
};

}  // namespace signcut
