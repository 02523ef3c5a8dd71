#include "model/model_report.h"

#include <nlohmann/json.hpp>

#include "io/file_access.h"

namespace signcut {
namespace {

std::string quoted(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

std::string report_kind(const TensorReport& r) { return r.decomposed ? "decomposed" : "kept (" + r.kept_because + ")"; }

void write_report_csv(const std::filesystem::path& path, const std::vector<TensorReport>& reports) {
    std::string csv =
        "name,dtype,shape,kind,method,decomposed_shape,width,bits_per_entry,relative_error,seconds,stored_bytes,shard,"
        "resumed,budget,entries_apart,runner_up,runner_up_error,fallback_because\n";
    for (const TensorReport& r : reports) {
        csv += quoted(r.name) + "," + r.dtype + "," + shape_to_string(r.shape) + "," + quoted(report_kind(r)) + "," +
               r.method + "," + (r.decomposed ? shape_to_string(r.decomposed_shape) : "") + "," +
               std::to_string(r.width) + "," + std::to_string(r.bits_per_entry) + "," +
               std::to_string(r.relative_error) + "," + std::to_string(r.seconds) + "," +
               std::to_string(r.stored_bytes) + "," + r.shard + "," + (r.resumed ? "yes" : "no") + "," +
               (r.decomposed ? std::to_string(r.budget) : "") + "," + std::to_string(r.entries_apart) + "," +
               r.runner_up + "," + (r.runner_up.empty() ? "" : std::to_string(r.runner_up_error)) + "," +
               quoted(r.fallback_because) + "\n";
    }
    write_file_atomically(path, std::vector<char>(csv.begin(), csv.end()));
}

void write_report_json(const std::filesystem::path& path, const std::vector<TensorReport>& reports) {
    nlohmann::json rows = nlohmann::json::array();
    for (const TensorReport& r : reports) {
        nlohmann::json row = nlohmann::json::object();
        for_each_report_field(r, [&](const char* key, const auto& value, bool of_decomposition) {
            if (r.decomposed || !of_decomposition) row[key] = value;
        });
        rows.push_back(std::move(row));
    }
    const std::string text = rows.dump(1) + "\n";
    write_file_atomically(path, std::vector<char>(text.begin(), text.end()));
}

}  // namespace signcut
