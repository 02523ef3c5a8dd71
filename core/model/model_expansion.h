#pragma once
// A compressed checkpoint back to .safetensors: one file, or a Hugging Face folder of shards
// with model.safetensors.index.json. Names, shapes, metadata and the order of the tensors are
// the original ones; decomposed tensors are reconstructed in their source dtype or `dtype`.

#include <cstdint>
#include <filesystem>
#include <array>
#include <string>
#include <string_view>

#include "io/sharded_safetensors_writer.h"

namespace signcut {

// The dtypes reconstructed tensors can be written in.
inline constexpr std::array<std::string_view, 3> kExpansionDtypes = {"BF16", "F16", "F32"};

// `name` (any case; empty: the source dtype) as expand_model takes it ("bf16" → "BF16"), or
// std::invalid_argument "dtype takes bf16, f16 or f32, not 'NAME'".
std::string expansion_dtype(std::string_view name);

// `dtype`: "BF16", "F16", "F32" for the reconstructed tensors, or empty for their source
// dtype; kept tensors are written byte for byte. Throws FileError, std::invalid_argument.
void expand_model(const std::filesystem::path& input, const std::filesystem::path& output,
                  const std::string& dtype = "");

// The same as shards of at most `max_shard_bytes` of tensor data in `folder` (created if needed).
void expand_model_to_folder(const std::filesystem::path& input, const std::filesystem::path& folder,
                            const std::string& dtype = "", std::uint64_t max_shard_bytes = kDefaultMaxShardBytes);

}  // namespace signcut
