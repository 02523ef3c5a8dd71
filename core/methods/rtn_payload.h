#pragma once
// The rtn payload of .scdz version 2 files, read so that they still open (version 3 stores
// rtn's own stored form, round_to_nearest.h, in exactly the bits rtn counts). Little-endian:
//   "RTN1" | u64 rows | u64 cols | u64 group size | u8 width per row (0 … 8)
//   | per row, per group: f16 mean (width 0) or f16 zero point, f16 scale
//   | the codes of every row at width ≥ 1, b bits each, packed LSB first (padded to a byte).

#include <span>

#include "tensor/tensor.h"

namespace signcut {

// The reconstruction from a version 2 payload; throws std::invalid_argument naming what is
// wrong (truncated, a width above 8, sizes that do not match) before allocating more than it checked.
Tensor decode_rtn_payload(std::span<const char> payload);

}  // namespace signcut
