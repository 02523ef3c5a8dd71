#pragma once
// rtn: round to nearest as LLM quantisers store weights. Each row is cut into groups of
// `group_size` entries (0: one group per row; GPTQ/AWQ configurations use 128), and each group
// at width b ≥ 1 is stored asymmetrically by min–max: an f16 scale s = (max − min)/(2^b − 1),
// an f16 zero point z = min, and x̂ = z + s·round((x − z)/s) with codes 0 … 2^b − 1, so a
// non-negative row (an image) uses every code. Width 0 stores the group's f16 mean alone.
// Rows get mixed widths 0 … 8 by reverse water-filling (bit_allocation.h), with their width
// codes (allocate_row_widths): bits = codes + Σ_rows Σ_groups (b·g + 32), or 16 per group at width 0.
// Stored form (one group per row only): the width code, then per row and group the f16 zero
// point and scale and the b-bit codes, or the f16 mean at width 0.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "methods/method.h"

namespace signcut {

// With one group per row (group_size 0 or ≥ cols) the result holds the stored form.
Approximation round_to_nearest(const Tensor& matrix, double bits_per_entry, std::size_t group_size = 0);
// The fewest bits it stores for a rows × cols matrix (every row at width 0).
std::uint64_t rtn_minimum_bits(std::size_t rows, std::size_t cols, std::size_t group_size = 0);
// The reconstruction from that stored form; throws std::invalid_argument.
Tensor load_round_to_nearest(std::span<const char> payload, const Shape& shape);

// How one group of n entries is stored at width b: for b ≥ 1 the f16 zero point and scale and
// a code 0 … 2^b − 1 per entry (x̂ = zero + code·scale); for b = 0 the f16 mean alone, in `zero`.
struct RtnGroup {
    float zero = 0, scale = 0;
};
// Quantises the group into `out` (and, if given, its codes into `codes`); returns ‖x − x̂‖².
double rtn_quantize_group(const float* in, float* out, std::size_t n, int b, RtnGroup* group = nullptr,
                          std::uint8_t* codes = nullptr);

}  // namespace signcut
