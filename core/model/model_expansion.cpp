#include "model/model_expansion.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "io/safetensors_file.h"
#include "io/scdz_file.h"
#include "model/stored_tensor.h"

namespace signcut {
namespace {

std::vector<SafetensorsSpec> output_specs(const ScdzReader& reader, const std::string& dtype) {
    if (!dtype.empty() && !is_float_dtype(dtype)) throw std::invalid_argument("cannot expand to dtype " + dtype);
    std::vector<SafetensorsSpec> specs;
    for (const ScdzEntry& e : reader.entries())
        specs.push_back({e.name, e.decomposed && !dtype.empty() ? dtype : e.dtype, e.shape});
    return specs;
}

// Hands every tensor, reconstructed or as stored, to `writer` in the file's order.
template <typename Writer>
void write_tensors(const ScdzReader& reader, Writer& writer) {
    for (const ScdzEntry& e : reader.entries()) {
        if (e.decomposed) writer.write_next(load_tensor(reader, e));
        else writer.write_next(reader.payload(e));
    }
    writer.commit();
}

}  // namespace

std::string expansion_dtype(std::string_view name) {
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    if (upper.empty() || std::find(kExpansionDtypes.begin(), kExpansionDtypes.end(), upper) != kExpansionDtypes.end())
        return upper;
    throw std::invalid_argument("dtype takes bf16, f16 or f32, not '" + std::string(name) + "'");
}

void expand_model(const std::filesystem::path& input, const std::filesystem::path& output, const std::string& dtype) {
    const ScdzReader reader(input);
    SafetensorsWriter writer(output, output_specs(reader, dtype), reader.metadata());
    write_tensors(reader, writer);
}

void expand_model_to_folder(const std::filesystem::path& input, const std::filesystem::path& folder,
                            const std::string& dtype, std::uint64_t max_shard_bytes) {
    const ScdzReader reader(input);
    ShardedSafetensorsWriter writer(folder, output_specs(reader, dtype), reader.metadata(), max_shard_bytes);
    write_tensors(reader, writer);
}

}  // namespace signcut
