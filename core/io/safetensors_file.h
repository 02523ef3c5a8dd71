#pragma once
// The .safetensors checkpoint: u64 little-endian header length N, N bytes of JSON
// {"name": {"dtype": "BF16", "shape": [m, n], "data_offsets": [begin, end]}, …,
//  "__metadata__": {"key": "value"}}, then the raw little-endian data, offsets relative to
// its start. Read through a memory map, so a multi-GB file is never read into RAM whole.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "io/file_access.h"
#include "io/mapped_file.h"
#include "tensor/tensor.h"

namespace signcut {

// Bytes per element of a safetensors dtype name ("F32", "BF16", "I64", …); 0 if unknown.
std::size_t safetensors_dtype_bytes(const std::string& dtype);
// F64, F32, F16 and BF16: the dtypes signcut converts to and from f32.
bool is_float_dtype(const std::string& dtype);

struct SafetensorsEntry {
    std::string name;
    std::string dtype;
    Shape shape;                       // may be empty (a scalar) or hold zeros
    std::uint64_t begin = 0, end = 0;  // byte range within the data section
    std::uint64_t elements() const;
};

class SafetensorsReader {
public:
    // Validates the whole header: its length, the JSON, every dtype, shape and offset (inside
    // the data, sizes matching shape × dtype, no overlaps, no holes). Throws FileError.
    explicit SafetensorsReader(const std::filesystem::path& path);

    const std::vector<SafetensorsEntry>& tensors() const { return tensors_; }  // in data order
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    const std::filesystem::path& path() const { return file_->path(); }
    std::uint64_t file_bytes() const { return file_->size(); }

    std::span<const char> raw(const SafetensorsEntry& entry) const;
    // A float tensor converted to f32 (throws FileError for other dtypes or non-finite values
    // unless allow_non_finite).
    Tensor to_tensor(const SafetensorsEntry& entry, bool allow_non_finite = false) const;

private:
    std::unique_ptr<MappedFile> file_;
    std::uint64_t data_start_ = 0;
    std::vector<SafetensorsEntry> tensors_;
    std::map<std::string, std::string> metadata_;
};

// Writes a checkpoint tensor by tensor, atomically: the header is fixed by the specs given up
// front, then write_next() takes each tensor's bytes in that order, commit() renames it into
// place. Destroyed before commit(), nothing is left behind.
struct SafetensorsSpec {
    std::string name;
    std::string dtype;
    Shape shape;
};

class SafetensorsWriter {
public:
    SafetensorsWriter(const std::filesystem::path& path, std::vector<SafetensorsSpec> specs,
                      const std::map<std::string, std::string>& metadata = {});
    void write_next(std::span<const char> bytes);
    // Converts f32 values to the next spec's dtype (a float dtype) and writes them.
    void write_next(const Tensor& values);
    void commit();

private:
    AtomicFileWriter out_;
    std::vector<SafetensorsSpec> specs_;
    std::size_t next_ = 0;
};

// One little-endian value of a float dtype as f32.
float decode_float(const char* bytes, const std::string& dtype);
// f32 values as little-endian bytes of a float dtype (rounding to nearest even).
std::vector<char> encode_floats(std::span<const float> values, const std::string& dtype);

}  // namespace signcut
