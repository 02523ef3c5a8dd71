#include "model/parts_folder.h"

#include <nlohmann/json.hpp>

#include "io/file_access.h"
#include "io/sharded_checkpoint.h"

namespace signcut {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr std::uint64_t kMaxSmallFileBytes = std::uint64_t(1) << 20;

// What a run computes from: its input files (by name, size and modification time) and every
// setting that changes a result. Not the shard count: the parts are per tensor, so runs split
// differently still share them.
Json settings_of(const ShardedCheckpoint& checkpoint, const ModelCompressionOptions& options) {
    Json files = Json::array();
    std::error_code error;
    for (const fs::path& file : checkpoint.files())
        files.push_back({{"path", fs::absolute(file).lexically_normal().string()},
                         {"bytes", fs::file_size(file, error)},
                         {"modified", std::int64_t(fs::last_write_time(file, error).time_since_epoch().count())}});
    return {{"input", files},
            {"bits_per_entry", options.bits_per_entry},
            {"include", options.include},
            {"exclude", options.exclude},
            {"flatten", std::string(to_string(options.flatten))},
            {"seed", options.seed},
            {"precision", int(options.precision)},
            {"method", options.method},
            {"outliers", outlier_policy_name(options.outliers)},
            {"allocate", std::string(to_string(options.allocate))},
            {"weighting", std::string(to_string(options.weighting))}};
}

// The settings, and for a global budget the plan: each stored tensor's budget and method.
Json job_description(const ShardedCheckpoint& checkpoint, const ModelCompressionOptions& options,
                     const std::vector<TensorReport>& reports) {
    Json job = settings_of(checkpoint, options);
    if (options.allocate != BudgetAllocation::global) return job;
    Json plan = Json::array();
    for (const TensorReport& r : reports)
        if (r.decomposed) plan.push_back({{"name", r.name}, {"budget", r.budget}, {"method", r.method}});
    job["plan"] = plan;
    return job;
}

Json read_json(const fs::path& path) {
    const std::vector<char> text = read_file_bytes(path, kMaxSmallFileBytes);
    return Json::parse(text.begin(), text.end());
}

}  // namespace

bool PartsFolder::apply_recorded_plan(const fs::path& output, const ShardedCheckpoint& checkpoint,
                                      const ModelCompressionOptions& options, std::vector<TensorReport>& reports) {
    Json job;
    try {
        job = read_json(fs::path(output.string() + ".parts") / "job.json");
    } catch (const std::exception&) {
        return false;
    }
    if (!job.is_object() || !job.contains("plan") || !job["plan"].is_array()) return false;
    Json plan = job["plan"];
    job.erase("plan");
    if (job != settings_of(checkpoint, options)) return false;
    std::size_t next = 0;
    try {
        for (TensorReport& r : reports) {
            if (!r.decomposed) continue;
            const Json& entry = plan.at(next++);
            if (entry.at("name") != r.name) return false;
            r.budget = entry.at("budget").get<double>();
            r.method = entry.at("method").get<std::string>();
        }
    } catch (const std::exception&) {
        return false;
    }
    return next == plan.size();
}

PartsFolder::PartsFolder(const fs::path& output, const ShardedCheckpoint& checkpoint,
                         const ModelCompressionOptions& options, const std::vector<TensorReport>& reports)
    : folder_(output.string() + ".parts") {
    const Json job = job_description(checkpoint, options, reports);
    std::error_code error;
    fs::create_directories(folder_, error);  // several processes may race here: that is fine
    if (error) throw FileError(folder_, "cannot create the folder for finished tensors: " + error.message());
    const std::string text = job.dump(1);
    const fs::path job_file = folder_ / "job.json";
    if (create_file_exclusively(job_file, std::vector<char>(text.begin(), text.end()))) return;
    Json existing;
    try {
        existing = read_json(job_file);
    } catch (const std::exception&) {
    }
    if (existing != job)
        throw std::invalid_argument(folder_.string() +
                                    " holds the parts of a run with another input or other settings " +
                                    "(see its job.json); delete that folder to start over");
}

std::optional<TensorReport> PartsFolder::load(std::size_t index, TensorReport report) const {
    std::error_code error;
    if (!fs::exists(this->report(index), error) || !fs::exists(payload(index), error)) return std::nullopt;
    try {
        const Json j = read_json(this->report(index));
        if (j.at("name") != report.name) return std::nullopt;
        report.shard = j.at("shard").get<std::string>();
        report.resumed = true;
        if (j.contains("kept_because")) {  // no method met its budget at run time
            report.decomposed = false;
            report.kept_because = j.at("kept_because").get<std::string>();
            return report;
        }
        report.budget = j.at("budget").get<double>();
        report.entries_apart = j.at("entries_apart").get<std::size_t>();
        report.runner_up = j.at("runner_up").get<std::string>();
        report.runner_up_error = j.at("runner_up_error").get<double>();
        report.fallback_because = j.at("fallback_because").get<std::string>();
        report.decomposed_shape = j.at("decomposed_shape").get<Shape>();
        report.width = j.at("width").get<std::size_t>();
        report.bits_per_entry = j.at("bits_per_entry").get<double>();
        report.relative_error = j.at("relative_error").get<double>();
        report.seconds = j.at("seconds").get<double>();
        report.stored_bytes = j.at("stored_bytes").get<std::uint64_t>();
        report.method = j.at("method").get<std::string>();
        if (fs::file_size(payload(index)) != report.stored_bytes) return std::nullopt;
        return report;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void PartsFolder::save(std::size_t index, const std::vector<char>& bytes, const TensorReport& r) const {
    write_file_atomically(payload(index), bytes);
    Json j{{"name", r.name},
           {"decomposed_shape", r.decomposed_shape},
           {"width", r.width},
           {"bits_per_entry", r.bits_per_entry},
           {"relative_error", r.relative_error},
           {"seconds", r.seconds},
           {"stored_bytes", r.stored_bytes},
           {"method", r.method},
           {"shard", r.shard},
           {"budget", r.budget},
           {"entries_apart", r.entries_apart},
           {"runner_up", r.runner_up},
           {"runner_up_error", r.runner_up_error},
           {"fallback_because", r.fallback_because}};
    if (!r.decomposed) j["kept_because"] = r.kept_because;
    const std::string text = j.dump(1);
    write_file_atomically(report(index), std::vector<char>(text.begin(), text.end()));  // marks it done
}

}  // namespace signcut
