#pragma once
// A checkpoint as it comes: one .safetensors file, a Hugging Face index
// (*.safetensors.index.json) with its shard files, or a folder holding either. Every shard is
// memory-mapped; tensors keep their own dtype. Everything is checked when it is opened, before
// any work starts: missing shards, tensors the index names but its shard lacks, tensors a shard
// holds that the index does not name, and names that appear twice.

#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "io/safetensors_file.h"

namespace signcut {

struct CheckpointTensor {
    std::size_t shard = 0;  // which file of files()
    SafetensorsEntry entry;
};

class ShardedCheckpoint {
public:
    // Throws FileError naming the problem (for an index: every missing shard at once).
    explicit ShardedCheckpoint(const std::filesystem::path& input);

    // Shards sorted by file name, tensors of each in data order.
    const std::vector<CheckpointTensor>& tensors() const { return tensors_; }
    const std::vector<std::filesystem::path>& files() const { return files_; }
    // The index, or the single file.
    const std::filesystem::path& source() const { return source_; }
    // The first shard's __metadata__ (Hugging Face shards all carry the same).
    const std::map<std::string, std::string>& metadata() const { return readers_.front()->metadata(); }

    std::span<const char> raw(const CheckpointTensor& t) const { return readers_[t.shard]->raw(t.entry); }
    Tensor to_tensor(const CheckpointTensor& t) const { return readers_[t.shard]->to_tensor(t.entry); }

private:
    void open_index(const std::filesystem::path& index_path);

    std::filesystem::path source_;
    std::vector<std::filesystem::path> files_;
    std::vector<std::unique_ptr<SafetensorsReader>> readers_;
    std::vector<CheckpointTensor> tensors_;
};

}  // namespace signcut
