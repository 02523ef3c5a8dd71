#include "io/sharded_safetensors_writer.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "io/safetensors_index.h"

namespace signcut {
namespace {

std::uint64_t bytes_of(const SafetensorsSpec& spec) {
    std::uint64_t n = safetensors_dtype_bytes(spec.dtype);
    for (std::size_t d : spec.shape) n *= d;
    return n;
}

}  // namespace

std::string ShardedSafetensorsWriter::shard_name(std::size_t shard, std::size_t count) {
    char name[64];
    std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", shard + 1, count);
    return name;
}

ShardedSafetensorsWriter::ShardedSafetensorsWriter(const std::filesystem::path& folder,
                                                   std::vector<SafetensorsSpec> specs,
                                                   std::map<std::string, std::string> metadata,
                                                   std::uint64_t max_shard_bytes)
    : folder_(folder), specs_(std::move(specs)), metadata_(std::move(metadata)) {
    if (max_shard_bytes == 0) throw std::invalid_argument("the shard size limit must be positive");
    if (specs_.empty()) throw std::invalid_argument("a checkpoint without tensors");
    std::uint64_t filled = 0;
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        const std::uint64_t bytes = bytes_of(specs_[i]);
        if (i == 0 || (filled > 0 && filled + bytes > max_shard_bytes)) {
            first_of_shard_.push_back(i);
            filled = 0;
        }
        filled += bytes;
    }
    std::error_code error;
    std::filesystem::create_directories(folder_, error);
    if (error) throw FileError(folder_, "cannot create the folder: " + error.message());
}

void ShardedSafetensorsWriter::start_shard_if_needed() {
    if (next_ >= specs_.size()) throw std::logic_error("ShardedSafetensorsWriter: more tensors than specs");
    if (current_) return;
    const std::size_t begin = first_of_shard_[shard_];
    const std::size_t end = shard_ + 1 < first_of_shard_.size() ? first_of_shard_[shard_ + 1] : specs_.size();
    current_ = std::make_unique<SafetensorsWriter>(
        folder_ / shard_name(shard_, shard_count()),
        std::vector<SafetensorsSpec>(specs_.begin() + std::ptrdiff_t(begin), specs_.begin() + std::ptrdiff_t(end)),
        metadata_);
}

void ShardedSafetensorsWriter::write_next(std::span<const char> bytes) {
    start_shard_if_needed();
    current_->write_next(bytes);
    ++next_;
    const std::size_t end = shard_ + 1 < first_of_shard_.size() ? first_of_shard_[shard_ + 1] : specs_.size();
    if (next_ == end) {
        current_->commit();
        current_.reset();
        ++shard_;
    }
}

void ShardedSafetensorsWriter::write_next(const Tensor& values) {
    start_shard_if_needed();
    write_next(encode_floats(values.data(), specs_[next_].dtype));
}

void ShardedSafetensorsWriter::commit() {
    if (next_ != specs_.size())
        throw std::logic_error("ShardedSafetensorsWriter: commit before every tensor was written");
    SafetensorsIndex index;
    std::size_t shard = 0;
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        if (shard + 1 < first_of_shard_.size() && i == first_of_shard_[shard + 1]) ++shard;
        index.total_size += bytes_of(specs_[i]);
        index.weight_map.emplace_back(specs_[i].name, shard_name(shard, shard_count()));
    }
    write_safetensors_index(folder_ / "model.safetensors.index.json", index);
}

std::uint64_t parse_byte_size(const std::string& text) {
    const auto fail = [&] {
        throw std::invalid_argument("'" + text + "' is not a size (e.g. 5GB, 500MB, 2GiB or a number of bytes)");
    };
    std::size_t digits = 0;
    while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
        ++digits;
    if (digits == 0) fail();
    double value = 0;
    try {
        std::size_t used = 0;
        value = std::stod(text.substr(0, digits), &used);
        if (used != digits) fail();
    } catch (const std::logic_error&) {
        fail();
    }
    std::string unit;
    for (char c : text.substr(digits)) unit += char(std::toupper(static_cast<unsigned char>(c)));
    static const std::map<std::string, double> units{
        {"", 1},      {"B", 1},        {"KB", 1e3},        {"MB", 1e6},           {"GB", 1e9},
        {"TB", 1e12}, {"KIB", 1024.0}, {"MIB", 1048576.0}, {"GIB", 1073741824.0}, {"TIB", 1099511627776.0}};
    const auto found = units.find(unit);
    if (found == units.end()) fail();
    const double bytes = std::floor(value * found->second);
    if (!(bytes >= 1) || bytes > 1e18) fail();
    return std::uint64_t(bytes);
}

}  // namespace signcut
