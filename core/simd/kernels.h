#pragma once
// The hot loops of the decomposition (scd/), its products and the trellis quantiser
// (methods/), in one scalar reference and SIMD twins (AVX2, AVX-512) chosen once at run time:
// the layer below both, so neither includes the other for its kernels. Every twin returns bit-identical results
// to the scalar one: sums use the same canonical order (see signed_sum).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "tensor/enum_names.h"

namespace signcut {

enum class Isa { scalar, avx2, avx512 };
template <>
struct EnumNames<Isa> {
    static constexpr std::array<EnumName<Isa>, 3> names{
        {{Isa::scalar, "scalar"}, {Isa::avx2, "avx2"}, {Isa::avx512, "avx512"}}};
};

inline constexpr std::size_t kMaxAccumulateRows = 8;
// Lookup tables of add_table_lookups: 16 entries (the sign patterns of four cuts), at most
// eight tables per call.
inline constexpr std::size_t kTableEntries = 16;
inline constexpr std::size_t kMaxTables = 8;
// Blocks of 16 rows that one add_sign_tile_lookups call takes (the SIMD twins carry as many
// of them in registers as fit, S::kLookupBlocks).
inline constexpr std::size_t kMaxTileBlocks = 8;
// The sign tiles add_sign_tile_lookups reads (scd/sign_matrix.h builds them): 16 rows × 4
// columns in one u64, row l's four signs in the nibble at bit sign_tile_nibble_shift(l): even
// rows at bits 0, 4, …, 28, odd rows at 32, 36, …, 60.
inline constexpr std::size_t kSignTileRows = 16, kSignTileColumns = 4;
constexpr unsigned sign_tile_nibble_shift(std::size_t l) { return unsigned(4 * (l / 2) + 32 * (l % 2)); }

struct Kernels {
    Isa isa;
    // Σ_i (−1)^{bit_i} x_i over n entries. Canonical order: entry i is added to lane
    // i mod 16 (lanes start at +0), then lanes are folded l += l+8, l += l+4, l += l+2, 0 += 1.
    float (*signed_sum)(const float* x, const std::uint64_t* signs, std::size_t n);
    // out_i += (negate ? −x_i : x_i)
    void (*accumulate)(float* out, const float* x, bool negate, std::size_t n);
    // out_i += Σ_r (negate[r] ? −rows[r][i] : rows[r][i]) for r = 0..count−1 in order
    // (count ≤ kMaxAccumulateRows): `accumulate` row after row, with out kept in registers.
    void (*accumulate_rows)(float* out, const float* const* rows, const bool* negate, std::size_t count, std::size_t n);
    // out_i += Σ_r tables[r][indices[r][i]] for r = 0..count−1 in order (count ≤ kMaxTables,
    // every index < kTableEntries): per entry, one precomputed sum for its sign pattern.
    void (*add_table_lookups)(float* out, const std::uint8_t* const* indices, const float* const* tables,
                              std::size_t count, std::size_t n);
    // The table-lookup product of a sign matrix (sign_matrix.h: one u64 tile holds 16 rows × 4
    // columns, nibble_l the signs of row l), for `blocks` ≤ kMaxTileBlocks blocks of 16 rows whose
    // tiles start at tiles + b·tile_stride, one tile per group of four columns, and `vectors` ≥ 1
    // vectors v, each with its accumulators at acc + v·acc_stride and its tables at
    // tables + v·table_stride:
    //   acc_v[16b + l] += tables_v[16g + nibble_l(tile_{b,g})]   for g = 0, 1, …, groups − 1 in order,
    // tables_v holding the 16 signed sums of each group's four entries of vector v
    // (sign_matrix_product.h). Each tile's indices serve every vector.
    void (*add_sign_tile_lookups)(float* acc, std::size_t acc_stride, const std::uint64_t* tiles,
                                  std::size_t tile_stride, std::size_t blocks, const float* tables,
                                  std::size_t table_stride, std::size_t vectors, std::size_t groups);
    // Packs sign(x_i) into bits (set when x_i < 0, so sign(0) = +1); writes ⌈n/64⌉ words.
    void (*sign_bits)(const float* x, std::size_t n, std::uint64_t* out);
    // row_i += (−1)^{bit_i} c
    void (*add_signed_constant)(float* row, const std::uint64_t* signs, float c, std::size_t n);
    // out[j] = Σ over the bits set in `changed` of ±1: +1 where `signs` and cuts[j] agree,
    // −1 where they differ (popcounts over `words` words; see sign_overlap.h).
    void (*changed_overlaps)(const std::uint64_t* changed, const std::uint64_t* signs, const std::uint64_t* const* cuts,
                             std::size_t count, std::size_t words, std::int64_t* out);
    // One step of the Viterbi recursion of the bitshift trellis (methods/trellis.h), L = state_bits,
    // K = bits_per_entry (1 ≤ K ≤ 8, K < L ≤ 16), on group costs: costs[g], g < 2^(L−K), is the
    // least cost of a path whose last state has low L−K bits g. The states for x with low bits p
    // are s = p + j·2^(L−K), j < 2^K, and s follows the states of group s >> K, so for p < 2^(L−K)
    //   next_costs[p] = min_j fma(x − values[s], x − values[s], costs[s >> K])   (one rounding on every path)
    //   choice_p      = the smallest j attaining it (the top K bits of the chosen s),
    // stored in bit planes (viterbi_choice reads them back): bit b of choice_p is bit b·2^(L−K) + p
    // of `choices`, lowest bit first in each byte, viterbi_choice_bytes(L, K) bytes in all: a SIMD
    // twin takes bit b of its lanes' choices with one lane-mask instruction and stores it as it is.
    // Null `choices`: the costs only.
    // No candidate may cost NaN (x and values finite, costs ≥ 0 or +∞), or "smallest j" is moot.
    void (*viterbi_step)(const float* costs, const float* values, float x, int state_bits, int bits_per_entry,
                         float* next_costs, std::uint8_t* choices);
};

// The bytes of one Viterbi step's choices: K bits for each of the 2^(L−K) groups.
inline std::size_t viterbi_choice_bytes(int state_bits, int bits_per_entry) {
    return ((std::size_t(bits_per_entry) << (state_bits - bits_per_entry)) + 7) / 8;
}

// choice_p of one step's choices (see Kernels::viterbi_step).
inline unsigned viterbi_choice(const std::uint8_t* choices, int state_bits, int bits_per_entry, std::size_t p) {
    const std::size_t groups = std::size_t(1) << (state_bits - bits_per_entry);
    unsigned choice = 0;
    for (int b = 0; b < bits_per_entry; ++b) {
        const std::size_t bit = std::size_t(b) * groups + p;
        choice |= unsigned((choices[bit >> 3] >> (bit & 7)) & 1u) << b;
    }
    return choice;
}

inline std::string_view isa_name(Isa isa) { return to_string(isa); }
bool isa_supported(Isa isa);

// The kernels of one instruction set; throws if this CPU lacks it.
const Kernels& kernels_for(Isa isa);
// The instruction set SIGNCUT_ISA names (`requested`; null or empty: not set), or else the best
// one `supported` allows. A name that is no instruction set, or one `supported` refuses, throws
// std::runtime_error with a one-line message naming the variable: never a silent fallback.
Isa choose_isa(const char* requested, bool (*supported)(Isa) = isa_supported);
// The dispatch point, chosen once: choose_isa(SIGNCUT_ISA from the environment). Throws
// choose_isa's error on every call while SIGNCUT_ISA is wrong.
const Kernels& active_kernels();

// Each instruction set's table, defined in its own translation unit.
const Kernels& scalar_kernels();
const Kernels& avx2_kernels();
const Kernels& avx512_kernels();

}  // namespace signcut
