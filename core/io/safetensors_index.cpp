#include "io/safetensors_index.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "io/file_access.h"

namespace signcut {
namespace {

using Json = nlohmann::json;

constexpr std::uint64_t kMaxIndexBytes = std::uint64_t(64) << 20;

bool is_plain_file_name(const std::string& name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
           name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
}

}  // namespace

bool is_safetensors_index_name(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    const std::string suffix = ".safetensors.index.json";
    return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

SafetensorsIndex read_safetensors_index(const std::filesystem::path& path) {
    const std::vector<char> text = read_file_bytes(path, kMaxIndexBytes);
    // JSON objects may repeat a key and the parser would keep the last one silently; a tensor
    // named twice in the weight map is an error, so keys are watched as they are parsed.
    std::set<std::string> seen;
    std::string duplicate;
    bool in_weight_map = false;
    const Json::parser_callback_t watch = [&](int depth, Json::parse_event_t event, Json& parsed) {
        if (event != Json::parse_event_t::key || !parsed.is_string()) return true;
        const std::string& key = parsed.get_ref<const std::string&>();
        if (depth == 1) in_weight_map = key == "weight_map";
        else if (depth == 2 && in_weight_map && !seen.insert(key).second && duplicate.empty()) duplicate = key;
        return true;
    };
    Json index;
    try {
        index = Json::parse(text.begin(), text.end(), watch);
    } catch (const Json::parse_error& error) {
        throw FileError(path, std::string("not valid JSON: ") + error.what());
    }
    if (!duplicate.empty()) throw FileError(path, "tensor '" + duplicate + "' is named twice in the weight_map");
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
        throw FileError(path, "no \"weight_map\" object: not a safetensors index");
    SafetensorsIndex result;
    if (index.contains("metadata") && index["metadata"].is_object() && index["metadata"].contains("total_size")) {
        const Json& total = index["metadata"]["total_size"];
        if (!total.is_number_unsigned()) throw FileError(path, "metadata.total_size is not a non-negative integer");
        result.total_size = total.get<std::uint64_t>();
    }
    for (const auto& [name, file] : index["weight_map"].items()) {
        if (!file.is_string()) throw FileError(path, "weight_map entry of '" + name + "' is not a file name");
        const std::string shard = file.get<std::string>();
        if (!is_plain_file_name(shard))
            throw FileError(path,
                            "weight_map entry of '" + name + "' names '" + shard + "', not a file beside the index");
        result.weight_map.emplace_back(name, shard);
    }
    if (result.weight_map.empty()) throw FileError(path, "the weight_map names no tensor");
    return result;
}

void write_safetensors_index(const std::filesystem::path& path, const SafetensorsIndex& index) {
    Json map = Json::object();
    for (const auto& [name, shard] : index.weight_map) map[name] = shard;  // nlohmann sorts keys
    const Json json{{"metadata", {{"total_size", index.total_size}}}, {"weight_map", map}};
    const std::string text = json.dump(2) + "\n";
    write_file_atomically(path, std::vector<char>(text.begin(), text.end()));
}

}  // namespace signcut
