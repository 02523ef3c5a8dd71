#pragma once
// The SIMD kernels of kernels.h, each written once over an instruction set's traits S
// (simd_traits_avx2.h, simd_traits_avx512.h: a vector of S::kLanes floats, 8 or 16, and a few
// primitives on it). Each ISA's translation unit includes its traits and this file and takes
// its table from kernel_table<S>(). Every kernel returns what kernels_scalar.cpp returns, bit for bit.
//
// Internal linkage on purpose (as in sign_overlap.h): each translation unit compiles these with
// its own -m flags, and a function with external linkage could be merged by the linker into one
// copy compiled for another instruction set.

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "simd/kernel_row_count.h"
#include "simd/kernels.h"
#include "simd/sign_overlap.h"

namespace signcut::simd {
namespace {

// The 16 sign bits of entries i … i+15 (i a multiple of 16).
inline std::uint32_t bits16_at(const std::uint64_t* signs, std::size_t i) {
    return std::uint32_t(signs[i >> 6] >> (i & 63)) & 0xFFFFu;
}

inline std::size_t at_most(std::size_t limit, std::size_t count) { return count < limit ? count : limit; }

// The canonical fold of a 16-lane sum, after l += l+8 (S::add_halves16): l += l+4, l += l+2, 0 += 1.
inline float fold8(__m256 s8) {
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    s4 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    s4 = _mm_add_ss(s4, _mm_shuffle_ps(s4, s4, 1));
    return _mm_cvtss_f32(s4);
}

// Σ_i (−1)^{bit_i} x_i in the canonical order: entry i goes to lane i mod 16 of a 16-lane
// accumulator (16 / kLanes vectors), whose lanes are then folded.
template <class S>
float signed_sum(const float* x, const std::uint64_t* signs, std::size_t n) {
    constexpr std::size_t kLanes = S::kLanes, kVectors = 16 / kLanes;
    typename S::vec acc[kVectors];
    for (auto& lanes : acc) lanes = S::zero();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const std::uint32_t bits = bits16_at(signs, i);
        for (std::size_t k = 0; k < kVectors; ++k)
            acc[k] =
                S::add(acc[k], S::negate_where(S::load(x + i + k * kLanes), S::flips_from_bits(bits >> (k * kLanes))));
    }
    if (i < n) {  // tail: absent entries load as +0, unflipped, and leave their lane (never −0) unchanged
        const std::uint32_t bits = bits16_at(signs, i) & ((1u << (n - i)) - 1u);
        for (std::size_t k = 0; k < kVectors && i + k * kLanes < n; ++k) {
            const typename S::vec a = S::load_first(x + i + k * kLanes, at_most(kLanes, n - i - k * kLanes));
            acc[k] = S::add(acc[k], S::negate_where(a, S::flips_from_bits(bits >> (k * kLanes))));
        }
    }
    return fold8(S::add_halves16(acc));
}

// out_i += ±x_i
template <class S>
void accumulate(float* out, const float* x, bool negate, std::size_t n) {
    const typename S::flips flip = S::flips_from_bits(negate ? 0xFFFFu : 0u);
    std::size_t i = 0;
    for (; i + S::kLanes <= n; i += S::kLanes)
        S::store(out + i, S::add(S::load(out + i), S::negate_where(S::load(x + i), flip)));
    if (i < n) {
        const std::size_t rest = n - i;
        S::store_first(out + i, S::add(S::load_first(out + i, rest), S::negate_where(S::load_first(x + i, rest), flip)),
                       rest);
    }
}

// The row count is a template parameter so that the signs stay in registers; two vectors of
// entries run side by side (independent chains hide the add latency, and every entry still
// adds its rows in order, as the scalar twin does).
template <class S, std::size_t kCount>
void accumulate_rows_fixed(float* out, const float* const* rows, const bool* negate, std::size_t n) {
    constexpr std::size_t kLanes = S::kLanes;
    typename S::flips flip[kCount];
    for (std::size_t r = 0; r < kCount; ++r) flip[r] = S::flips_from_bits(negate[r] ? 0xFFFFu : 0u);
    std::size_t i = 0;
    for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
        typename S::vec s0 = S::load(out + i), s1 = S::load(out + i + kLanes);
        for (std::size_t r = 0; r < kCount; ++r) {
            s0 = S::add(s0, S::negate_where(S::load(rows[r] + i), flip[r]));
            s1 = S::add(s1, S::negate_where(S::load(rows[r] + i + kLanes), flip[r]));
        }
        S::store(out + i, s0), S::store(out + i + kLanes, s1);
    }
    for (; i < n; i += kLanes) {  // at most two vectors, the last one partial
        const std::size_t lanes = at_most(kLanes, n - i);
        typename S::vec sum = S::load_first(out + i, lanes);
        for (std::size_t r = 0; r < kCount; ++r)
            sum = S::add(sum, S::negate_where(S::load_first(rows[r] + i, lanes), flip[r]));
        S::store_first(out + i, sum, lanes);
    }
}

template <class S>
void accumulate_rows(float* out, const float* const* rows, const bool* negate, std::size_t count, std::size_t n) {
    detail::with_row_count<kMaxAccumulateRows>(
        count, [&](auto rows_count) { accumulate_rows_fixed<S, decltype(rows_count)::value>(out, rows, negate, n); });
}

// out_i += Σ_r tables[r][indices[r][i]], the tables held in registers.
template <class S>
void add_table_lookups(float* out, const std::uint8_t* const* indices, const float* const* tables, std::size_t count,
                       std::size_t n) {
    constexpr std::size_t kLanes = S::kLanes;
    typename S::table16 table[kMaxTables];
    for (std::size_t r = 0; r < count; ++r) table[r] = S::load_table16(tables[r]);
    std::size_t i = 0;
    for (; i + 2 * kLanes <= n; i += 2 * kLanes) {  // two independent chains
        typename S::vec s0 = S::load(out + i), s1 = S::load(out + i + kLanes);
        for (std::size_t r = 0; r < count; ++r) {
            s0 = S::add(s0, S::lookup(table[r], indices[r] + i));
            s1 = S::add(s1, S::lookup(table[r], indices[r] + i + kLanes));
        }
        S::store(out + i, s0), S::store(out + i + kLanes, s1);
    }
    for (; i + kLanes <= n; i += kLanes) {
        typename S::vec sum = S::load(out + i);
        for (std::size_t r = 0; r < count; ++r) sum = S::add(sum, S::lookup(table[r], indices[r] + i));
        S::store(out + i, sum);
    }
    for (; i < n; ++i)
        for (std::size_t r = 0; r < count; ++r) out[i] += tables[r][indices[r][i]];
}

// Blocks of 16 rows and vectors side by side (independent chains hide the add latency), each
// row of each vector adding its groups' table entries in order, as the scalar twin does; one
// table load serves every block, one tile's indices every vector.
template <class S, std::size_t kBlocks, std::size_t kVectors>
void add_sign_tile_lookups_fixed(float* acc, std::size_t acc_stride, const std::uint64_t* tiles,
                                 std::size_t tile_stride, const float* tables, std::size_t table_stride,
                                 std::size_t groups) {
    constexpr std::size_t kLanes = S::kLanes, kParts = 16 / kLanes;
    typename S::vec sum[kVectors][kBlocks][kParts];
    for (std::size_t v = 0; v < kVectors; ++v)
        for (std::size_t b = 0; b < kBlocks; ++b)
            for (std::size_t p = 0; p < kParts; ++p) sum[v][b][p] = S::load(acc + v * acc_stride + 16 * b + kLanes * p);
    for (std::size_t g = 0; g < groups; ++g) {
        typename S::table16 table[kVectors];
        for (std::size_t v = 0; v < kVectors; ++v) table[v] = S::load_table16(tables + v * table_stride + 16 * g);
        for (std::size_t b = 0; b < kBlocks; ++b) {
            const std::uint64_t tile = tiles[b * tile_stride + g];
            for (std::size_t p = 0; p < kParts; ++p) {
                const typename S::ivec index = S::nibble_indices(tile, p);
                for (std::size_t v = 0; v < kVectors; ++v)
                    sum[v][b][p] = S::add(sum[v][b][p], S::lookup_index(table[v], index));
            }
        }
    }
    for (std::size_t v = 0; v < kVectors; ++v)
        for (std::size_t b = 0; b < kBlocks; ++b)
            for (std::size_t p = 0; p < kParts; ++p) S::store(acc + v * acc_stride + 16 * b + kLanes * p, sum[v][b][p]);
}

// S::kLookupBlocks blocks and S::kLookupVectors vectors at a time, as many as the registers
// hold: the more rows share a table load, the less table traffic from L2.
template <class S>
void add_sign_tile_lookups(float* acc, std::size_t acc_stride, const std::uint64_t* tiles, std::size_t tile_stride,
                           std::size_t blocks, const float* tables, std::size_t table_stride, std::size_t vectors,
                           std::size_t groups) {
    for (std::size_t b = 0; b < blocks; b += S::kLookupBlocks)
        detail::with_row_count<S::kLookupBlocks>(at_most(S::kLookupBlocks, blocks - b), [&](auto block_count) {
            // Vectors in steps as even as they go (4 as 2 + 2, not 3 + 1: a step of one shares nothing).
            const std::size_t steps = (vectors + S::kLookupVectors - 1) / S::kLookupVectors;
            for (std::size_t v = 0, step = 0; v < vectors; ++step)
                detail::with_row_count<S::kLookupVectors>(
                    (vectors - v + (steps - step) - 1) / (steps - step), [&](auto vector_count) {
                        add_sign_tile_lookups_fixed<S, decltype(block_count)::value, decltype(vector_count)::value>(
                            acc + v * acc_stride + 16 * b, acc_stride, tiles + b * tile_stride, tile_stride,
                            tables + v * table_stride, table_stride, groups);
                        v += decltype(vector_count)::value;
                    });
        });
}

// Bit i of the output set where x_i < 0, a 64-bit word at a time.
template <class S>
void sign_bits(const float* x, std::size_t n, std::uint64_t* out) {
    constexpr std::size_t kLanes = S::kLanes;
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        std::uint64_t word = 0;
        for (std::size_t part = 0; part < 64 / kLanes; ++part)
            word |= std::uint64_t(S::negative_bits(x + i + kLanes * part)) << (kLanes * part);
        out[i / 64] = word;
    }
    if (i < n) {
        std::uint64_t word = 0;
        for (std::size_t b = 0; i + b < n; ++b) word |= std::uint64_t(x[i + b] < 0.0f) << b;
        out[i / 64] = word;
    }
}

// row_i += (−1)^{bit_i} c, sixteen entries (one u16 of sign bits) at a time.
template <class S>
void add_signed_constant(float* row, const std::uint64_t* signs, float c, std::size_t n) {
    constexpr std::size_t kLanes = S::kLanes, kVectors = 16 / kLanes;
    const typename S::vec value = S::broadcast(c);
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const std::uint32_t bits = bits16_at(signs, i);
        for (std::size_t k = 0; k < kVectors; ++k) {
            float* part = row + i + k * kLanes;
            S::store(part, S::add(S::load(part), S::negate_where(value, S::flips_from_bits(bits >> (k * kLanes)))));
        }
    }
    if (i < n) {
        const std::uint32_t bits = bits16_at(signs, i);
        for (std::size_t k = 0; k < kVectors && i + k * kLanes < n; ++k) {
            float* part = row + i + k * kLanes;
            const std::size_t lanes = at_most(kLanes, n - i - k * kLanes);
            const typename S::vec signed_value = S::negate_where(value, S::flips_from_bits(bits >> (k * kLanes)));
            S::store_first(part, S::add(S::load_first(part, lanes), signed_value), lanes);
        }
    }
}

// How many vectors of groups viterbi_step_fixed takes at once: while 2^K < kLanes, a vector's
// states span kLanes >> K groups of costs, and 2^K vectors together span one whole vector of
// costs, which each of them loads and spreads with one permute; otherwise each vector's states
// lie in one group, its cost a broadcast.
template <class S, int kBits>
constexpr std::size_t viterbi_block() {
    return (std::size_t(1) << kBits) < S::kLanes ? std::size_t(1) << kBits : 1;
}

// The kLanes bits of a lane mask to the bytes at `to`.
template <class S>
[[gnu::always_inline]] inline void store_plane(std::uint8_t* to, std::uint32_t bits) {
    const std::conditional_t<S::kLanes == 8, std::uint8_t, std::uint16_t> word(bits);
    std::memcpy(to, &word, sizeof word);
}

// Candidate j of the kLanes groups p … p+kLanes−1 (p = first + part·kLanes), whose states are
// p + j·2^(L−K) …: fma(x − v, x − v, the group cost). Every argument is a value and the
// choices an integer vector: under AddressSanitizer closures, returned structs and arrays of
// lane masks live in checked stack memory, which made an earlier step of this loop 40 times
// slower there than in a release build.
template <class S, int kBits>
[[gnu::always_inline]] inline typename S::vec viterbi_candidate(const float* costs, const float* values,
                                                                typename S::vec xs, std::size_t groups,
                                                                std::size_t first, std::size_t part, int j) {
    const std::size_t p = first + part * S::kLanes;
    const typename S::vec d = S::sub(xs, S::load(values + p + std::size_t(j) * groups));
    if constexpr ((std::size_t(1) << kBits) >= S::kLanes) {  // one group for every lane
        return S::fmadd(d, d, S::broadcast(costs[(p + std::size_t(j) * groups) >> kBits]));
    } else {  // a block: 2^(L−K) is a multiple of 2^K, so the groups of j lie j·2^(L−2K) further on
        const float* block_costs = costs + (first >> kBits) + std::size_t(j) * (groups >> kBits);
        return S::fmadd(d, d, S::template repeat_each<kBits>(block_costs, part));  // all kLanes costs read
    }
}

// kLanes groups of the step, their 2^K candidates j after j. A lane's choice moves to j where
// candidate j is strictly less than the least before it, so each lane ends on the smallest j
// attaining the least cost, the very choice of the scalar twin (candidate costs are never NaN).
// Bit b of the lanes' choices, taken by one lane-mask instruction, is the kLanes bits of plane b.
template <class S, int kBits, bool kChoices>
[[gnu::always_inline]] inline void viterbi_vector(const float* costs, const float* values, typename S::vec xs,
                                                  std::size_t groups, std::size_t first, std::size_t part,
                                                  float* next_costs, std::uint8_t* choices) {
    typename S::vec best = viterbi_candidate<S, kBits>(costs, values, xs, groups, first, part, 0);
    typename S::ivec choice = S::zero_int();
    for (int j = 1; j < 1 << kBits; ++j) {
        const typename S::vec candidate = viterbi_candidate<S, kBits>(costs, values, xs, groups, first, part, j);
        if constexpr (kChoices) choice = S::raise_where(S::less(candidate, best), S::broadcast_int(j), choice);
        best = S::min(candidate, best);  // candidate < best ? candidate : best: the earlier j keeps a tie
    }
    const std::size_t p = first + part * S::kLanes;
    S::store(next_costs + p, best);
    if constexpr (kChoices)
        for (int b = 0; b < kBits; ++b)  // plane b from bit b·groups + p, a byte boundary
            store_plane<S>(choices + std::size_t(b) * (groups / 8) + p / 8, S::lane_bits(choice, b));
}

template <class S, int kBits, bool kChoices>
void viterbi_step_fixed(const float* costs, const float* values, float x, std::size_t groups, float* next_costs,
                        std::uint8_t* choices) {
    const typename S::vec xs = S::broadcast(x);
    constexpr std::size_t kBlock = viterbi_block<S, kBits>();
    for (std::size_t first = 0; first < groups; first += kBlock * S::kLanes)
        for (std::size_t part = 0; part < kBlock; ++part)
            viterbi_vector<S, kBits, kChoices>(costs, values, xs, groups, first, part, next_costs, choices);
}

template <class S>
void viterbi_step(const float* costs, const float* values, float x, int state_bits, int bits_per_entry,
                  float* next_costs, std::uint8_t* choices) {
    const std::size_t groups = std::size_t(1) << (state_bits - bits_per_entry);
    detail::with_row_count<8>(std::size_t(bits_per_entry), [&](auto bits) {  // K as a template parameter
        constexpr int kBits = int(decltype(bits)::value);
        if (groups < viterbi_block<S, kBits>() * S::kLanes)  // fewer groups than one block: too small to matter
            return scalar_kernels().viterbi_step(costs, values, x, state_bits, bits_per_entry, next_costs, choices);
        if (choices) viterbi_step_fixed<S, kBits, true>(costs, values, x, groups, next_costs, choices);
        else viterbi_step_fixed<S, kBits, false>(costs, values, x, groups, next_costs, nullptr);
    });
}

template <class S>
constexpr Kernels kernel_table() {
    return {
        .isa = S::kIsa,
        .signed_sum = signed_sum<S>,
        .accumulate = accumulate<S>,
        .accumulate_rows = accumulate_rows<S>,
        .add_table_lookups = add_table_lookups<S>,
        .add_sign_tile_lookups = add_sign_tile_lookups<S>,
        .sign_bits = sign_bits<S>,
        .add_signed_constant = add_signed_constant<S>,
        .changed_overlaps = detail::changed_overlaps_impl,
        .viterbi_step = viterbi_step<S>,
    };
}

}  // namespace
}  // namespace signcut::simd
