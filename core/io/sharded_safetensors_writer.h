#pragma once
// Writes a checkpoint the way Hugging Face stores a large one: a folder of shards
// model-00001-of-0000N.safetensors, each holding consecutive tensors up to a size limit (a
// tensor larger than the limit gets a shard of its own), and model.safetensors.index.json with
// metadata.total_size and the weight_map. Each shard is written atomically as it fills up; the
// index is written last, so a folder with an index is complete.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "io/safetensors_file.h"

namespace signcut {

inline constexpr std::uint64_t kDefaultMaxShardBytes = 5'000'000'000;  // Hugging Face's "5GB"

class ShardedSafetensorsWriter {
public:
    // Creates `folder` if needed. Tensors are taken in the order of `specs`.
    ShardedSafetensorsWriter(const std::filesystem::path& folder, std::vector<SafetensorsSpec> specs,
                             std::map<std::string, std::string> metadata, std::uint64_t max_shard_bytes);
    void write_next(std::span<const char> bytes);
    void write_next(const Tensor& values);  // converted to the spec's float dtype
    // Writes the index; call after the last tensor.
    void commit();

    std::size_t shard_count() const { return first_of_shard_.size(); }
    static std::string shard_name(std::size_t shard, std::size_t count);  // 0-based shard

private:
    void start_shard_if_needed();

    std::filesystem::path folder_;
    std::vector<SafetensorsSpec> specs_;
    std::map<std::string, std::string> metadata_;
    std::vector<std::size_t> first_of_shard_;  // index of the first spec of each shard
    std::unique_ptr<SafetensorsWriter> current_;
    std::size_t shard_ = 0, next_ = 0;
};

// Parses a size like "5GB", "500MB", "1.5GiB" or "123456" (bytes): KB, MB, GB, TB are powers
// of 1000 (as Hugging Face counts), KiB, MiB, GiB, TiB of 1024. Throws std::invalid_argument.
std::uint64_t parse_byte_size(const std::string& text);

}  // namespace signcut
