#pragma once
// OUT.scdz.parts/: the finished tensors of a compression that is still running, interrupted,
// or split among processes. Per tensor (numbered in checkpoint order) `<i>.payload` holds its
// stored form (an .scd file, or another method's payload) and `<i>.json` the report; the report is written last, so its
// presence marks the tensor done. Both are written through a temporary file renamed into place, so processes on
// different machines never see half a file and never write the same file (each tensor has one owner). `job.json` pins
// the input and the settings: created once, atomically, by whichever process comes first, and compared by every other.
// With a global budget it also records the plan (each stored tensor's budget and method), so that every process, a
// resumed run and the merge use the same one without computing it again.

#include <filesystem>
#include <optional>
#include <vector>

#include "model/model_compression.h"

namespace signcut {

class ShardedCheckpoint;

class PartsFolder {
public:
    // Creates the folder and its job.json (with the plan of `reports` for a global budget), or
    // checks the job.json there; throws std::invalid_argument when it belongs to another input,
    // other settings or another plan.
    PartsFolder(const std::filesystem::path& output, const ShardedCheckpoint& checkpoint,
                const ModelCompressionOptions& options, const std::vector<TensorReport>& reports);
    // The plan a job.json of the same input and settings recorded, set into `reports` (budget
    // and method of each stored tensor); false when there is none.
    static bool apply_recorded_plan(const std::filesystem::path& output, const ShardedCheckpoint& checkpoint,
                                    const ModelCompressionOptions& options, std::vector<TensorReport>& reports);
    const std::filesystem::path& folder() const { return folder_; }

    std::filesystem::path payload(std::size_t index) const { return folder_ / (std::to_string(index) + ".payload"); }
    std::filesystem::path report(std::size_t index) const { return folder_ / (std::to_string(index) + ".json"); }

    // The finished tensor `index` (its report, `report` filled in from the saved one), if both
    // files are there, readable and agree; nothing otherwise (it is then computed again).
    std::optional<TensorReport> load(std::size_t index, TensorReport report) const;
    // Saves a finished tensor: its payload (empty for one kept as it is), then its report.
    void save(std::size_t index, const std::vector<char>& payload, const TensorReport& report) const;

private:
    std::filesystem::path folder_;
};

}  // namespace signcut
