#pragma once
// model.safetensors.index.json, the map of a Hugging Face sharded checkpoint:
//   {"metadata": {"total_size": <bytes of tensor data>}, "weight_map": {"<tensor>": "<shard file>", …}}
// Shard files are named relative to the index's folder.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace signcut {

struct SafetensorsIndex {
    std::uint64_t total_size = 0;                                 // 0 when the index does not say
    std::vector<std::pair<std::string, std::string>> weight_map;  // tensor name → shard file, sorted by name
};

// Reads and checks an index: valid JSON below 64 MiB, a "weight_map" object of strings, no
// tensor named twice, shard names that are plain file names (no folders, no ".."). Throws FileError.
SafetensorsIndex read_safetensors_index(const std::filesystem::path& path);

// Writes an index atomically (keys of weight_map sorted by name, as Hugging Face writes them).
void write_safetensors_index(const std::filesystem::path& path, const SafetensorsIndex& index);

// True for "model.safetensors.index.json" and other "*.safetensors.index.json" names.
bool is_safetensors_index_name(const std::filesystem::path& path);

}  // namespace signcut
