#include "io/sharded_checkpoint.h"

#include <algorithm>
#include <set>

#include "io/safetensors_index.h"

namespace signcut {
namespace fs = std::filesystem;

namespace {

// The index or the single .safetensors file a folder holds.
fs::path checkpoint_in_folder(const fs::path& folder) {
    std::vector<fs::path> indexes, files;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
        if (!entry.is_regular_file(error)) continue;
        if (is_safetensors_index_name(entry.path())) indexes.push_back(entry.path());
        else if (entry.path().extension() == ".safetensors") files.push_back(entry.path());
    }
    if (error) throw FileError(folder, "cannot list the folder: " + error.message());
    if (indexes.size() == 1) return indexes.front();
    if (indexes.size() > 1)
        throw FileError(folder, "holds several *.safetensors.index.json files; name the one to use");
    if (files.size() == 1) return files.front();
    if (files.empty()) throw FileError(folder, "holds neither a .safetensors file nor a *.safetensors.index.json");
    throw FileError(folder, "holds " + std::to_string(files.size()) +
                                " .safetensors files but no index saying how they belong together");
}

}  // namespace

ShardedCheckpoint::ShardedCheckpoint(const fs::path& input) {
    std::error_code error;
    source_ = fs::is_directory(input, error) ? checkpoint_in_folder(input) : input;
    if (is_safetensors_index_name(source_)) {
        open_index(source_);
        return;
    }
    files_.push_back(source_);
    readers_.push_back(std::make_unique<SafetensorsReader>(source_));
    for (const SafetensorsEntry& entry : readers_.front()->tensors()) tensors_.push_back({0, entry});
}

void ShardedCheckpoint::open_index(const fs::path& index_path) {
    const SafetensorsIndex index = read_safetensors_index(index_path);
    std::map<std::string, std::string> shard_of;  // tensor → file, as the index says
    std::set<std::string> names;
    for (const auto& [tensor, file] : index.weight_map) {
        shard_of.emplace(tensor, file);
        names.insert(file);
    }
    const fs::path folder = index_path.parent_path();
    std::string missing;
    std::error_code error;
    for (const std::string& name : names)
        if (!fs::is_regular_file(folder / name, error)) missing += (missing.empty() ? "" : ", ") + name;
    if (!missing.empty()) throw FileError(index_path, "names shard files that are missing: " + missing);

    std::map<std::string, std::string> found_in;  // tensor → the shard that holds it
    for (const std::string& name : names) {       // std::set: sorted by file name
        const std::size_t shard = files_.size();
        files_.push_back(folder / name);
        readers_.push_back(std::make_unique<SafetensorsReader>(files_.back()));
        for (const SafetensorsEntry& entry : readers_.back()->tensors()) {
            if (const auto [it, inserted] = found_in.emplace(entry.name, name); !inserted)
                throw FileError(index_path,
                                "tensor '" + entry.name + "' is in two shards, " + it->second + " and " + name);
            const auto listed = shard_of.find(entry.name);
            if (listed == shard_of.end())
                throw FileError(files_.back(), "holds tensor '" + entry.name + "', which the index does not name");
            if (listed->second != name)
                throw FileError(index_path,
                                "places tensor '" + entry.name + "' in " + listed->second + " but it is in " + name);
            tensors_.push_back({shard, entry});
        }
    }
    for (const auto& [tensor, file] : shard_of)
        if (!found_in.contains(tensor))
            throw FileError(index_path, "names tensor '" + tensor + "' in " + file + ", which does not hold it");
}

}  // namespace signcut
