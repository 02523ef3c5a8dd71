#pragma once
// The .scdz container: a compressed checkpoint. Every decomposed tensor is stored as a whole
// .scd file, every tensor kept as it was (norms, biases, integer tensors) as its raw
// little-endian bytes, with a JSON index of names, dtypes, shapes, per-tensor statistics and
// CRC-32s, and the source checkpoint's metadata. Layout (docs/formats.md):
//   "SCDZ\r\n\x1a\n" | u32 version (1 or 2) | u32 0 | payloads… | index (JSON)
// Version 2 names each decomposed tensor's method and leaves out the seconds it took, so that
// the file depends only on the input and the settings (a run split among processes writes the
// same bytes as one process); version 1 files are still read.
//   | u64 index offset | u64 index length | u32 CRC-32 of the index | "SCDZ"

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

inline constexpr std::uint32_t kScdzVersion = 2;  // written; 1 is read too

// An index entry: the tensor's report, as the .scdz index stores it (offset, stored_bytes and
// crc32 locate its payload; kept_because, shard and resumed are not stored).
using ScdzEntry = TensorReport;

// The methods whose payloads a .scdz file holds.
inline constexpr std::array<std::string_view, 2> kScdzMethods = {"scd", "rtn"};

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
    // The tensor as f32 in its source shape: reconstructed at full width, or converted from
    // its raw float bytes. Throws FileError for raw non-float tensors.
    Tensor tensor(const ScdzEntry& entry) const;

private:
    std::unique_ptr<MappedFile> file_;
    std::vector<ScdzEntry> entries_;
    std::map<std::string, std::string> metadata_;
    std::uint32_t version_ = 0;
};

}  // namespace signcut
