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

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "io/file_access.h"
#include "io/mapped_file.h"
#include "scd/decomposition.h"

namespace signcut {

inline constexpr std::uint32_t kScdzVersion = 2;  // written; 1 is read too

struct ScdzEntry {
    std::string name;
    std::string dtype;        // of the source tensor (a safetensors dtype name)
    Shape shape;              // of the source tensor
    bool decomposed = false;  // a method's payload; otherwise the raw source bytes
    std::string method;       // of decomposed tensors: "scd" (an .scd file; the only one of version 1)
                              // or "rtn" (methods/rtn_payload.h)
    // For decomposed tensors: the shape that was decomposed (a matrix, or the tensor itself)
    // and what the decomposition achieved.
    Shape decomposed_shape;
    std::size_t width = 0;
    double bits_per_entry = 0.0;  // stored bits / entries (for raw tensors: the dtype's bits)
    double relative_error = 0.0;
    double seconds = 0.0;                  // version 1 files only
    std::uint64_t offset = 0, length = 0;  // of the payload in the file
    std::uint32_t crc32 = 0;
};

class ScdzWriter {
public:
    explicit ScdzWriter(const std::filesystem::path& path);
    // Appends a payload; offset, length and crc32 of `entry` are filled in here.
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
