#include "model/checkpoint_assembly.h"

#include "io/file_access.h"
#include "io/scdz_file.h"

namespace signcut {

void assemble_checkpoint(const ShardedCheckpoint& checkpoint, const std::vector<TensorReport>& reports,
                         const PartsFolder& parts, const std::filesystem::path& output) {
    ScdzWriter writer(output);
    for (std::size_t i = 0; i < reports.size(); ++i) {
        if (reports[i].decomposed) writer.add(reports[i], read_file_bytes(parts.payload(i)));
        else writer.add(reports[i], checkpoint.raw(checkpoint.tensors()[i]));
    }
    writer.commit(checkpoint.metadata());
}

}  // namespace signcut
