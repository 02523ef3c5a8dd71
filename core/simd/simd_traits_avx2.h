#pragma once
// The AVX2 (with FMA) primitives that kernels_impl.h writes the kernels over: a vector of eight
// floats and the few operations the kernels need. Included only by kernels_avx2.cpp, which is
// compiled with -mavx2 -mfma -mpopcnt; internal linkage for the reason given in kernels_impl.h.

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "simd/kernels.h"

namespace signcut::simd {
namespace {

struct Avx2 {
    static constexpr Isa kIsa = Isa::avx2;
    static constexpr std::size_t kLanes = 8;
    using vec = __m256;
    using ivec = __m256i;
    using flips = __m256;  // 0x80000000 in each lane to negate, 0 elsewhere
    using mask = __m256;   // a comparison: all ones in the lanes where it holds
    struct table16 {
        __m256 low, high;  // entries 0..7 and 8..15
    };

    static vec zero() { return _mm256_setzero_ps(); }
    static vec broadcast(float c) { return _mm256_set1_ps(c); }
    static vec load(const float* p) { return _mm256_loadu_ps(p); }
    static void store(float* p, vec v) { _mm256_storeu_ps(p, v); }
    // Lanes [0, count) of p, the others +0; nothing past them is read (count ≤ kLanes).
    static vec load_first(const float* p, std::size_t count) { return _mm256_maskload_ps(p, first_lanes(count)); }
    static void store_first(float* p, vec v, std::size_t count) { _mm256_maskstore_ps(p, first_lanes(count), v); }

    static vec add(vec a, vec b) { return _mm256_add_ps(a, b); }
    static vec sub(vec a, vec b) { return _mm256_sub_ps(a, b); }
    static vec fmadd(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }  // a·b + c, one rounding
    static vec min(vec a, vec b) { return _mm256_min_ps(a, b); }                // a < b ? a : b

    // Lane l to negate where bit l of `bits` is set (higher bits ignored): each lane shifts its
    // own bit into the sign position.
    static flips flips_from_bits(std::uint32_t bits) {
        const __m256i to_sign_bit = _mm256_setr_epi32(31, 30, 29, 28, 27, 26, 25, 24);
        const __m256i shifted = _mm256_sllv_epi32(_mm256_set1_epi32(int(bits)), to_sign_bit);
        return _mm256_castsi256_ps(_mm256_and_si256(shifted, _mm256_set1_epi32(int(0x80000000u))));
    }
    static vec negate_where(vec x, flips f) { return _mm256_xor_ps(x, f); }  // exact, like the scalar −x

    // Bit l set where lane l of p is < 0 (so −0 counts as positive).
    static std::uint32_t negative_bits(const float* p) {
        return std::uint32_t(_mm256_movemask_ps(_mm256_cmp_ps(load(p), zero(), _CMP_LT_OQ)));
    }

    static table16 load_table16(const float* table) { return {load(table), load(table + 8)}; }
    // Lane l = table[indices[l]]: two 8-lane permutes (on the low three index bits) and a blend on
    // the fourth bit, moved into the sign position that blendv reads.
    static vec lookup(const table16& table, const std::uint8_t* indices) {
        return lookup_index(table, _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(indices))));
    }
    // Lane l = the nibble of row 8·part + l of a sign tile at its bottom, with other bits above
    // (sign_matrix.h: row l's nibble at bit 4·(l/2) + 32·(l%2)): 64-bit lane i of the broadcast
    // tile shifted by 16·part + 4i holds rows 8·part + 2i and 2i+1 in its two 32-bit lanes.
    static ivec nibble_indices(std::uint64_t tile, std::size_t part) {
        const __m256i shifts = part == 0 ? _mm256_setr_epi64x(0, 4, 8, 12) : _mm256_setr_epi64x(16, 20, 24, 28);
        return _mm256_srlv_epi64(_mm256_set1_epi64x(std::int64_t(tile)), shifts);
    }
    // Lane l = table[index_l & 15]: the permutes read the low three bits, the blend the fourth.
    static vec lookup_index(const table16& table, ivec index) {
        const __m256 upper = _mm256_castsi256_ps(_mm256_slli_epi32(index, 28));
        return _mm256_blendv_ps(_mm256_permutevar8x32_ps(table.low, index), _mm256_permutevar8x32_ps(table.high, index),
                                upper);
    }
    // Blocks and vectors add_sign_tile_lookups carries at once: four blocks of two vectors each
    // are eight accumulators, and a second vector would not fit in the sixteen registers.
    static constexpr std::size_t kLookupBlocks = 4;
    static constexpr std::size_t kLookupVectors = 1;

    static mask less(vec a, vec b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
    static ivec broadcast_int(int c) { return _mm256_set1_epi32(c); }
    static ivec zero_int() { return _mm256_setzero_si256(); }
    // Lanes of m to `above`, which exceeds every lane of v, the others as in v: a max of two
    // one-uop instructions where a blend takes two uops on many x86 cores.
    static ivec raise_where(mask m, ivec above, ivec v) {
        return _mm256_max_epi32(v, _mm256_and_si256(_mm256_castps_si256(m), above));
    }
    // Bit l set where bit b of lane l is.
    static std::uint32_t lane_bits(ivec v, int b) {
        return std::uint32_t(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_sll_epi32(v, _mm_cvtsi32_si128(31 - b)))));
    }
    // Lane l = p[(part·kLanes + l) >> kBits] (2^kBits < kLanes), from the whole vector p[0, kLanes):
    // kLanes >> kBits of its values, each over 2^kBits lanes.
    template <int kBits>
    static vec repeat_each(const float* p, std::size_t part) {
        const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        const __m256i index = _mm256_srli_epi32(_mm256_add_epi32(lane, _mm256_set1_epi32(int(part * kLanes))), kBits);
        return _mm256_permutevar8x32_ps(load(p), index);
    }

    // Lanes l + (l + 8) of a 16-lane accumulator (two vectors): the first step of the canonical fold.
    static __m256 add_halves16(const vec (&acc)[2]) { return add(acc[0], acc[1]); }

private:
    // Lanes [0, count) all ones, the rest zero.
    static __m256i first_lanes(std::size_t count) {
        const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        return _mm256_cmpgt_epi32(_mm256_set1_epi32(int(count)), index);
    }
};

}  // namespace
}  // namespace signcut::simd
