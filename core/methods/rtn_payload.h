#pragma once
// The stored form of rtn (round_to_nearest.h), as a .scdz payload: little-endian
//   "RTN1" | u64 rows | u64 cols | u64 group size | u8 width per row (0 … 8)
//   | per row, per group: f16 mean (width 0) or f16 zero point, f16 scale
//   | the codes of every row at width ≥ 1, b bits each, packed LSB first (padded to a byte).
// Decoding gives back rtn's reconstruction exactly (x̂ = zero + code·scale in f32). The widths
// take a byte a row here, where rtn's own bit count uses 4-bit (or 1-bit) width codes: the
// payload is a little larger than that count (rows × ≤ 7 bits).

#include <cstdint>
#include <span>
#include <vector>

#include "tensor/tensor.h"

namespace signcut {

struct RtnPayload {
    std::vector<char> bytes;  // empty when rtn cannot meet the budget
    Tensor reconstruction;
};

// rtn of a matrix at the budget (one group per row when group_size is 0), with its payload.
RtnPayload encode_rtn_payload(const Tensor& matrix, double bits_per_entry, std::size_t group_size = 0);

// The reconstruction from a payload; throws std::invalid_argument naming what is wrong
// (truncated, a width above 8, sizes that do not match) before allocating more than it checked.
Tensor decode_rtn_payload(std::span<const char> payload);

}  // namespace signcut
