#pragma once
// The .scd file: one signed cut decomposition, versioned, little-endian, checksummed.
// Layout (docs/formats.md):
//   "SCD\x1a" | u16 version (1, or 2 with entries kept apart) | u8 coefficient precision (0 f32, 1 f16, 2 bf16) | u8 order k
//   | u64 width w | f64 ‖A‖² | f64 ‖R_w‖² (residual after all w cuts) | u64 shape[k]
//   | sign bits: for each cut, for each mode i, n_i bits LSB first (1 = −1), zero-padded to a byte
//   | w coefficients in the stated precision
//   | version 2 only: u64 K | u64 B | B × (u64 width, u64 count) | K indices of ⌈log2 Π n_i⌉ bits,
//     LSB first, zero-padded to a byte | K values (f32 beside f32 coefficients, else f16)
//   | u32 CRC-32 of everything before it
// A decomposition with no entries kept apart is written as version 1.

#include <filesystem>

#include "scd/decomposition.h"

namespace signcut {

inline constexpr std::uint16_t kScdVersion = 2;

std::vector<char> encode_scd(const Decomposition& decomposition, std::size_t width);
// Throws FileError (naming `source`) on any malformed content.
Decomposition decode_scd(std::span<const char> bytes, const std::filesystem::path& source = "<memory>");

// Writes the first `width` cuts (all by default) atomically.
void write_scd(const std::filesystem::path& path, const Decomposition& decomposition,
               std::size_t width = std::size_t(-1));
Decomposition read_scd(const std::filesystem::path& path);

}  // namespace signcut
