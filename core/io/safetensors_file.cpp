#include "io/safetensors_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "tensor/float16.h"

namespace signcut {
namespace {

using Json = nlohmann::json;

// The format's own limit on the header (100 MB), and on the order of a tensor.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
constexpr std::size_t kMaxOrder = 32;

// An unsigned little-endian integer of `size` bytes.
std::uint64_t load_le(const char* p, std::size_t size) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < size; ++i) value |= std::uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
    return value;
}

// a · b, or false when it overflows 2⁶⁴.
bool multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& out) { return !__builtin_mul_overflow(a, b, &out); }

}  // namespace

float decode_float(const char* p, const std::string& dtype) {
    if (dtype == "F32") return std::bit_cast<float>(std::uint32_t(load_le(p, 4)));
    if (dtype == "F64") return float(std::bit_cast<double>(load_le(p, 8)));
    const auto half = std::uint16_t(load_le(p, 2));
    return dtype == "F16" ? f16_bits_to_float(half) : bf16_bits_to_float(half);
}

namespace {

SafetensorsEntry parse_entry(const std::string& name, const Json& value, const std::filesystem::path& path) {
    const auto fail = [&](const std::string& problem) { throw FileError(path, "tensor '" + name + "': " + problem); };
    if (!value.is_object()) fail("its header entry is not an object");
    for (const char* key : {"dtype", "shape", "data_offsets"})
        if (!value.contains(key)) fail(std::string("no \"") + key + "\"");
    SafetensorsEntry entry;
    entry.name = name;
    if (!value["dtype"].is_string()) fail("dtype is not a string");
    entry.dtype = value["dtype"].get<std::string>();
    if (safetensors_dtype_bytes(entry.dtype) == 0) fail("unknown dtype " + entry.dtype);
    const Json& shape = value["shape"];
    if (!shape.is_array() || shape.size() > kMaxOrder) fail("shape is not an array of at most 32 dimensions");
    std::uint64_t elements = 1;
    for (const Json& n : shape) {
        if (!n.is_number_unsigned()) fail("shape holds something other than a non-negative integer");
        entry.shape.push_back(n.get<std::size_t>());
        if (!multiply(elements, n.get<std::uint64_t>(), elements)) fail("shape overflows");
    }
    const Json& offsets = value["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
        fail("data_offsets is not a pair of non-negative integers");
    entry.begin = offsets[0].get<std::uint64_t>();
    entry.end = offsets[1].get<std::uint64_t>();
    std::uint64_t bytes = 0;
    if (entry.end < entry.begin) fail("data_offsets end before they begin");
    if (!multiply(elements, safetensors_dtype_bytes(entry.dtype), bytes) || entry.end - entry.begin != bytes)
        fail("data_offsets span " + std::to_string(entry.end - entry.begin) + " bytes but shape × dtype needs " +
             std::to_string(bytes));
    return entry;
}

}  // namespace

std::size_t safetensors_dtype_bytes(const std::string& dtype) {
    static const std::map<std::string, std::size_t> sizes{
        {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8},  {"U64", 8},     {"I32", 4},    {"U32", 4},
        {"I16", 2}, {"U16", 2}, {"I8", 1},  {"U8", 1},   {"BOOL", 1}, {"F8_E4M3", 1}, {"F8_E5M2", 1}};
    const auto found = sizes.find(dtype);
    return found == sizes.end() ? 0 : found->second;
}

bool is_float_dtype(const std::string& dtype) {
    return dtype == "F64" || dtype == "F32" || dtype == "F16" || dtype == "BF16";
}

std::uint64_t SafetensorsEntry::elements() const {
    std::uint64_t n = 1;
    for (std::size_t d : shape) n *= d;
    return n;
}

SafetensorsReader::SafetensorsReader(const std::filesystem::path& path) : file_(std::make_unique<MappedFile>(path)) {
    const std::span<const char> bytes = file_->bytes();
    if (bytes.size() < 8)
        throw FileError(path, "too short for a safetensors header (" + std::to_string(bytes.size()) + " bytes)");
    const std::uint64_t header_bytes = load_le(bytes.data(), 8);
    if (header_bytes > kMaxHeaderBytes)
        throw FileError(path,
                        "header length " + std::to_string(header_bytes) + " exceeds the format's limit of 100 MB");
    if (header_bytes > bytes.size() - 8)
        throw FileError(path, "header length " + std::to_string(header_bytes) + " runs past the end of the file (" +
                                  std::to_string(bytes.size()) + " bytes): truncated or not a safetensors file");
    data_start_ = 8 + header_bytes;
    Json header;
    try {
        header = Json::parse(bytes.begin() + 8, bytes.begin() + std::ptrdiff_t(data_start_));
    } catch (const Json::parse_error& error) {
        throw FileError(path, std::string("header is not valid JSON: ") + error.what());
    }
    if (!header.is_object()) throw FileError(path, "header is not a JSON object");
    for (const auto& [name, value] : header.items()) {
        if (name == "__metadata__") {
            if (!value.is_object()) throw FileError(path, "__metadata__ is not an object");
            for (const auto& [key, text] : value.items()) {
                if (!text.is_string()) throw FileError(path, "__metadata__ value of '" + key + "' is not a string");
                metadata_[key] = text.get<std::string>();
            }
            continue;
        }
        tensors_.push_back(parse_entry(name, value, path));
    }
    // The data must be covered exactly: sorted by offset, each tensor starts where the last ended.
    std::sort(tensors_.begin(), tensors_.end(),
              [](const auto& a, const auto& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
    std::uint64_t position = 0;
    for (const SafetensorsEntry& entry : tensors_) {
        if (entry.begin < position) throw FileError(path, "tensor '" + entry.name + "' overlaps the one before it");
        if (entry.begin > position)
            throw FileError(path, "a hole of " + std::to_string(entry.begin - position) + " bytes before tensor '" +
                                      entry.name + "'");
        position = entry.end;
    }
    const std::uint64_t data_bytes = bytes.size() - data_start_;
    if (position > data_bytes)
        throw FileError(path, "tensor data ends at byte " + std::to_string(position) + " of a data section of " +
                                  std::to_string(data_bytes) + " bytes: truncated");
    if (position < data_bytes)
        throw FileError(path, std::to_string(data_bytes - position) + " unexpected bytes after the last tensor");
}

std::span<const char> SafetensorsReader::raw(const SafetensorsEntry& entry) const {
    return file_->bytes().subspan(data_start_ + entry.begin, entry.end - entry.begin);
}

Tensor SafetensorsReader::to_tensor(const SafetensorsEntry& entry, bool allow_non_finite) const {
    if (!is_float_dtype(entry.dtype))
        throw FileError(path(), "tensor '" + entry.name + "' has dtype " + entry.dtype + ", not a float dtype");
    Shape shape = entry.shape;
    if (shape.empty()) shape = {1};
    Tensor out(shape);
    const std::span<const char> data = raw(entry);
    const std::size_t step = safetensors_dtype_bytes(entry.dtype);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = decode_float(data.data() + i * step, entry.dtype);
        if (!allow_non_finite && !std::isfinite(out[i]))
            throw FileError(path(),
                            "tensor '" + entry.name + "' holds a non-finite value at flat index " + std::to_string(i));
    }
    return out;
}

std::vector<char> encode_floats(std::span<const float> values, const std::string& dtype) {
    const std::size_t step = safetensors_dtype_bytes(dtype);
    std::vector<char> out(values.size() * step);
    for (std::size_t i = 0; i < values.size(); ++i) {
        char* p = out.data() + i * step;
        std::uint64_t bits = 0;
        if (dtype == "F32") bits = std::bit_cast<std::uint32_t>(values[i]);
        else if (dtype == "F64") bits = std::bit_cast<std::uint64_t>(double(values[i]));
        else if (dtype == "F16") bits = float_to_f16_bits(values[i]);
        else if (dtype == "BF16") bits = float_to_bf16_bits(values[i]);
        else throw std::invalid_argument("encode_floats: " + dtype + " is not a float dtype");
        for (std::size_t b = 0; b < step; ++b) p[b] = char((bits >> (8 * b)) & 0xFF);
    }
    return out;
}

SafetensorsWriter::SafetensorsWriter(const std::filesystem::path& path, std::vector<SafetensorsSpec> specs,
                                     const std::map<std::string, std::string>& metadata)
    : out_(path), specs_(std::move(specs)) {
    Json header = Json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const SafetensorsSpec& spec : specs_) {
        std::uint64_t elements = 1;
        for (std::size_t n : spec.shape) elements *= n;
        const std::uint64_t bytes = elements * safetensors_dtype_bytes(spec.dtype);
        if (safetensors_dtype_bytes(spec.dtype) == 0) throw FileError(path, "cannot write dtype " + spec.dtype);
        if (header.contains(spec.name)) throw FileError(path, "tensor name '" + spec.name + "' appears twice");
        header[spec.name] = {{"dtype", spec.dtype}, {"shape", spec.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // the data section starts 8-byte aligned
    char length[8];
    for (int i = 0; i < 8; ++i) length[i] = char((std::uint64_t(text.size()) >> (8 * i)) & 0xFF);
    out_.write(length, 8);
    out_.write(text.data(), text.size());
}

void SafetensorsWriter::write_next(std::span<const char> bytes) {
    if (next_ >= specs_.size()) throw std::logic_error("SafetensorsWriter: more tensors than specs");
    const SafetensorsSpec& spec = specs_[next_++];
    std::uint64_t elements = 1;
    for (std::size_t n : spec.shape) elements *= n;
    if (bytes.size() != elements * safetensors_dtype_bytes(spec.dtype))
        throw std::invalid_argument("SafetensorsWriter: tensor '" + spec.name + "' has the wrong number of bytes");
    out_.write(bytes.data(), bytes.size());
}

void SafetensorsWriter::write_next(const Tensor& values) {
    if (next_ >= specs_.size()) throw std::logic_error("SafetensorsWriter: more tensors than specs");
    write_next(encode_floats(values.data(), specs_[next_].dtype));
}

void SafetensorsWriter::commit() {
    if (next_ != specs_.size()) throw std::logic_error("SafetensorsWriter: commit before every tensor was written");
    out_.commit();
}

}  // namespace signcut
