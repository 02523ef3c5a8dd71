#include "io/scdz_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

#include "io/byte_codec.h"
#include "io/safetensors_file.h"
#include "io/scd_file.h"

namespace signcut {
namespace {

using Json = nlohmann::json;

constexpr char kMagic[8] = {'S', 'C', 'D', 'Z', '\r', '\n', '\x1a', '\n'};
constexpr char kEndMagic[4] = {'S', 'C', 'D', 'Z'};
constexpr std::uint64_t kHeaderBytes = 16;
constexpr std::uint64_t kFooterBytes = 24;
constexpr std::uint64_t kMaxIndexBytes = std::uint64_t(256) << 20;

std::uint64_t elements_of(const Shape& shape) {
    std::uint64_t n = 1;
    for (std::size_t d : shape) n *= d;
    return n;
}

Json to_json(const ScdzEntry& e) {
    Json j{{"name", e.name},
           {"dtype", e.dtype},
           {"shape", e.shape},
           {"offset", e.offset},
           {"length", e.stored_bytes},
           {"crc32", e.crc32},
           {"kind", e.decomposed ? "stored" : "raw"},
           {"bits_per_entry", e.bits_per_entry}};
    if (e.decomposed) {
        j["decomposed_shape"] = e.decomposed_shape;
        j["width"] = e.width;
        j["relative_error"] = e.relative_error;
        j["method"] = e.method;
        j["budget"] = e.budget;
        if (e.entries_apart > 0) j["entries_apart"] = e.entries_apart;
        if (!e.runner_up.empty()) j["runner_up"] = {{"method", e.runner_up}, {"relative_error", e.runner_up_error}};
        if (!e.fallback_because.empty()) j["fallback_because"] = e.fallback_because;
    }
    return j;
}

ScdzEntry from_json(const Json& j, std::uint32_t version, const std::filesystem::path& path) {
    const std::string name =
        j.is_object() && j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>() : "?";
    const auto fail = [&](const std::string& problem) {
        throw FileError(path, "index entry '" + name + "': " + problem);
    };
    if (!j.is_object()) fail("not an object");
    const auto shape_of = [&](const char* key) {
        if (!j.contains(key) || !j[key].is_array() || j[key].size() > 32) fail(std::string("bad \"") + key + "\"");
        Shape shape;
        for (const Json& n : j[key]) {
            if (!n.is_number_unsigned() || n.get<std::uint64_t>() > (std::uint64_t(1) << 40))
                fail(std::string("bad \"") + key + "\"");
            shape.push_back(n.get<std::size_t>());
        }
        return shape;
    };
    const auto number = [&](const char* key) {
        if (!j.contains(key) || !j[key].is_number()) fail(std::string("no number \"") + key + "\"");
        return j[key];
    };
    ScdzEntry e;
    e.name = name;
    if (!j.contains("dtype") || !j["dtype"].is_string() || safetensors_dtype_bytes(j["dtype"].get<std::string>()) == 0)
        fail("unknown dtype");
    e.dtype = j["dtype"].get<std::string>();
    e.shape = shape_of("shape");
    const char* stored_kind = version >= 3 ? "stored" : "scd";
    if (!j.contains("kind") || !j["kind"].is_string() || (j["kind"] != stored_kind && j["kind"] != "raw"))
        fail(std::string("kind is not ") + stored_kind + " or raw");
    e.decomposed = j["kind"] == stored_kind;
    for (const char* key : {"offset", "length", "crc32"})
        if (!number(key).is_number_unsigned()) fail(std::string("\"") + key + "\" is not a non-negative integer");
    e.offset = j["offset"].get<std::uint64_t>();
    e.stored_bytes = j["length"].get<std::uint64_t>();
    e.crc32 = j["crc32"].get<std::uint32_t>();
    e.bits_per_entry = number("bits_per_entry").get<double>();
    if (e.decomposed) {
        e.decomposed_shape = shape_of("decomposed_shape");
        if (elements_of(e.decomposed_shape) != elements_of(e.shape)) fail("decomposed_shape and shape differ in size");
        e.width = number("width").get<std::size_t>();
        e.relative_error = number("relative_error").get<double>();
        if (version == 1) {
            e.seconds = number("seconds").get<double>();
            e.method = "scd";
        } else {
            if (!j.contains("method") || !j["method"].is_string() || j["method"].get<std::string>().empty())
                fail("no \"method\"");
            e.method = j["method"].get<std::string>();
            if (version == 2 && e.method != "scd" && e.method != "rtn")
                fail("method '" + e.method + "' is not one a version 2 file holds");
        }
        if (version >= 3) {
            e.budget = number("budget").get<double>();
            if (j.contains("entries_apart")) {
                if (!j["entries_apart"].is_number_unsigned()) fail("\"entries_apart\" is not a count");
                e.entries_apart = j["entries_apart"].get<std::size_t>();
                if (e.entries_apart > elements_of(e.shape)) fail("more entries apart than the tensor has");
            }
            if (j.contains("runner_up") && j["runner_up"].is_object() && j["runner_up"].contains("method") &&
                j["runner_up"]["method"].is_string() && j["runner_up"].contains("relative_error") &&
                j["runner_up"]["relative_error"].is_number()) {
                e.runner_up = j["runner_up"]["method"].get<std::string>();
                e.runner_up_error = j["runner_up"]["relative_error"].get<double>();
            }
            if (j.contains("fallback_because") && j["fallback_because"].is_string())
                e.fallback_because = j["fallback_because"].get<std::string>();
        }
    } else if (e.stored_bytes != elements_of(e.shape) * safetensors_dtype_bytes(e.dtype)) {
        fail("raw length does not match shape × dtype");
    }
    return e;
}

}  // namespace

ScdzWriter::ScdzWriter(const std::filesystem::path& path) : out_(path) {
    ByteWriter header;
    header.put_bytes(kMagic, sizeof kMagic);
    header.put(kScdzVersion);
    header.put(std::uint32_t(0));
    out_.write(header.bytes().data(), header.bytes().size());
}

void ScdzWriter::add(ScdzEntry entry, std::span<const char> payload) {
    entry.offset = out_.bytes_written();
    entry.stored_bytes = payload.size();
    entry.crc32 = crc32(payload.data(), payload.size());
    out_.write(payload.data(), payload.size());
    entries_.push_back(std::move(entry));
}

void ScdzWriter::commit(const std::map<std::string, std::string>& metadata) {
    Json index{
        {"format", "signcut scdz"}, {"version", kScdzVersion}, {"metadata", metadata}, {"tensors", Json::array()}};
    for (const ScdzEntry& e : entries_) index["tensors"].push_back(to_json(e));
    const std::string text = index.dump(1);
    ByteWriter footer;
    footer.put(std::uint64_t(out_.bytes_written()));
    footer.put(std::uint64_t(text.size()));
    footer.put(crc32(text.data(), text.size()));
    footer.put_bytes(kEndMagic, sizeof kEndMagic);
    out_.write(text.data(), text.size());
    out_.write(footer.bytes().data(), footer.bytes().size());
    out_.commit();
}

ScdzReader::ScdzReader(const std::filesystem::path& path) : file_(std::make_unique<MappedFile>(path)) {
    const std::span<const char> bytes = file_->bytes();
    if (bytes.size() < kHeaderBytes + kFooterBytes) throw FileError(path, "too short for a .scdz file");
    if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) throw FileError(path, "not a .scdz file (bad magic)");
    ByteReader header(bytes.subspan(8, 8));
    const auto version = header.get<std::uint32_t>();
    if (version < 1 || version > 3) throw FileError(path, "unsupported .scdz version " + std::to_string(version));
    ByteReader footer(bytes.subspan(bytes.size() - kFooterBytes));
    const auto index_offset = footer.get<std::uint64_t>();
    const auto index_length = footer.get<std::uint64_t>();
    const auto index_crc = footer.get<std::uint32_t>();
    if (std::memcmp(bytes.data() + bytes.size() - 4, kEndMagic, 4) != 0)
        throw FileError(path, "no .scdz footer: truncated or still being written");
    const std::uint64_t index_end = bytes.size() - kFooterBytes;
    if (index_length > kMaxIndexBytes || index_offset < kHeaderBytes || index_offset > index_end ||
        index_length != index_end - index_offset)
        throw FileError(path, "index position in the footer does not fit the file: truncated or corrupt");
    const std::span<const char> text = bytes.subspan(index_offset, index_length);
    if (crc32(text.data(), text.size()) != index_crc)
        throw FileError(path, "index checksum mismatch: the file is corrupt");
    Json index;
    try {
        index = Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& error) {
        throw FileError(path, std::string("index is not valid JSON: ") + error.what());
    }
    if (!index.is_object() || !index.contains("tensors") || !index["tensors"].is_array())
        throw FileError(path, "index has no tensor list");
    if (index.contains("metadata") && index["metadata"].is_object())
        for (const auto& [key, value] : index["metadata"].items())
            if (value.is_string()) metadata_[key] = value.get<std::string>();
    version_ = version;
    for (const Json& j : index["tensors"]) entries_.push_back(from_json(j, version, path));
    // Payloads lie between the header and the index and do not overlap.
    std::vector<const ScdzEntry*> by_offset;
    for (const ScdzEntry& e : entries_) by_offset.push_back(&e);
    std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->offset < b->offset; });
    std::uint64_t position = kHeaderBytes;
    for (const ScdzEntry* e : by_offset) {
        if (e->offset < position || e->stored_bytes > index_offset || e->offset > index_offset - e->stored_bytes)
            throw FileError(path, "payload of '" + e->name + "' overlaps another or lies outside the payload area");
        position = e->offset + e->stored_bytes;
    }
}

std::span<const char> ScdzReader::payload(const ScdzEntry& entry) const {
    const std::span<const char> bytes = file_->bytes().subspan(entry.offset, entry.stored_bytes);
    if (crc32(bytes.data(), bytes.size()) != entry.crc32)
        throw FileError(path(), "checksum mismatch in tensor '" + entry.name + "': the file is corrupt");
    return bytes;
}

Decomposition ScdzReader::decomposition(const ScdzEntry& entry) const {
    if (!entry.decomposed) throw FileError(path(), "tensor '" + entry.name + "' is stored as it was, not decomposed");
    if (entry.method != "scd")
        throw FileError(path(), "tensor '" + entry.name + "' is stored by " + entry.method + ", not as signed cuts");
    Decomposition d = decode_scd(payload(entry), path());
    if (d.shape() != entry.decomposed_shape)
        throw FileError(path(), "tensor '" + entry.name + "': its .scd shape differs from the index");
    return d;
}

Tensor ScdzReader::raw_tensor(const ScdzEntry& entry) const {
    if (entry.decomposed) throw FileError(path(), "tensor '" + entry.name + "' is compressed, not stored as it was");
    if (!is_float_dtype(entry.dtype))
        throw FileError(path(), "tensor '" + entry.name + "' has dtype " + entry.dtype + ", not a float dtype");
    const std::span<const char> raw = payload(entry);
    const std::size_t step = safetensors_dtype_bytes(entry.dtype);
    Tensor out(entry.shape.empty() ? Shape{1} : entry.shape);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = decode_float(raw.data() + i * step, entry.dtype);
    return out;
}

}  // namespace signcut
