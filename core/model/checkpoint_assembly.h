#pragma once
// The last step of a compression: OUT.scdz bundled in the checkpoint's order from the finished
// parts (the stored tensors' payloads) and the kept tensors' bytes, written atomically.

#include <filesystem>
#include <vector>

#include "io/sharded_checkpoint.h"
#include "io/tensor_report.h"
#include "model/parts_folder.h"

namespace signcut {

void assemble_checkpoint(const ShardedCheckpoint& checkpoint, const std::vector<TensorReport>& reports,
                         const PartsFolder& parts, const std::filesystem::path& output);

}  // namespace signcut
