#pragma once
// The AVX-512 (F) primitives that kernels_impl.h writes the kernels over: a vector of sixteen
// floats and the few operations the kernels need. Included only by kernels_avx512.cpp, which is
// compiled with -mavx512f -mpopcnt; internal linkage for the reason given in kernels_impl.h.

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "simd/kernels.h"

namespace signcut::simd {
namespace {

struct Avx512 {
    static constexpr Isa kIsa = Isa::avx512;
    static constexpr std::size_t kLanes = 16;
    using vec = __m512;
    using ivec = __m512i;
    using flips = __mmask16;  // the lanes to negate
    using mask = __mmask16;   // a comparison: the lanes where it holds
    using table16 = __m512;   // 16 entries: one register, indexed by vpermps

    static vec zero() { return _mm512_setzero_ps(); }
    static vec broadcast(float c) { return _mm512_set1_ps(c); }
    static vec load(const float* p) { return _mm512_loadu_ps(p); }
    static void store(float* p, vec v) { _mm512_storeu_ps(p, v); }
    // Lanes [0, count) of p, the others +0; nothing past them is read (count ≤ kLanes).
    static vec load_first(const float* p, std::size_t count) { return _mm512_maskz_loadu_ps(first_lanes(count), p); }
    static void store_first(float* p, vec v, std::size_t count) { _mm512_mask_storeu_ps(p, first_lanes(count), v); }

    static vec add(vec a, vec b) { return _mm512_add_ps(a, b); }
    static vec sub(vec a, vec b) { return _mm512_sub_ps(a, b); }
    static vec fmadd(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }  // a·b + c, one rounding
    static vec min(vec a, vec b) { return _mm512_min_ps(a, b); }                // a < b ? a : b

    // Lane l to negate where bit l of `bits` is set (higher bits ignored).
    static flips flips_from_bits(std::uint32_t bits) { return __mmask16(bits); }
    static vec negate_where(vec x, flips f) {  // exact, like the scalar −x
        const __m512i sign = _mm512_set1_epi32(int(0x80000000u));
        const __m512i xi = _mm512_castps_si512(x);
        return _mm512_castsi512_ps(_mm512_mask_xor_epi32(xi, f, xi, sign));
    }

    // Bit l set where lane l of p is < 0 (so −0 counts as positive).
    static std::uint32_t negative_bits(const float* p) { return _mm512_cmp_ps_mask(load(p), zero(), _CMP_LT_OQ); }

    static table16 load_table16(const float* table) { return load(table); }
    // Lane l = table[indices[l]].
    static vec lookup(table16 table, const std::uint8_t* indices) {
        const __m512i index = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(indices)));
        return _mm512_permutexvar_ps(index, table);
    }

    // Lane l = the nibble of row l of a sign tile at its bottom, with other bits above
    // (sign_matrix.h: row l's nibble at bit 4·(l/2) + 32·(l%2)): 64-bit lane i of the broadcast
    // tile shifted by 4i holds rows 2i and 2i+1 in its two 32-bit lanes.
    static ivec nibble_indices(std::uint64_t tile, std::size_t) {
        const __m512i shifts = _mm512_setr_epi64(0, 4, 8, 12, 16, 20, 24, 28);
        return _mm512_srlv_epi64(_mm512_set1_epi64(std::int64_t(tile)), shifts);
    }
    // Lane l = table[index_l & 15] (the permute reads the low four bits).
    static vec lookup_index(table16 table, ivec index) { return _mm512_permutexvar_ps(index, table); }
    // Blocks and vectors add_sign_tile_lookups carries at once: 8 blocks × 3 vectors = 24
    // accumulators, 3 tables and the indices among the 32 registers (measured: 2 or 4 vectors
    // are slower at batch 16).
    static constexpr std::size_t kLookupBlocks = 8;
    static constexpr std::size_t kLookupVectors = 3;

    static mask less(vec a, vec b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
    static ivec broadcast_int(int c) { return _mm512_set1_epi32(c); }
    static ivec zero_int() { return _mm512_setzero_si512(); }
    // Lanes of m to `above` (which exceeds every lane of v), the others as in v.
    static ivec raise_where(mask m, ivec above, ivec v) { return _mm512_mask_mov_epi32(v, m, above); }
    // Bit l set where bit b of lane l is.
    static std::uint32_t lane_bits(ivec v, int b) {
        return std::uint32_t(_mm512_test_epi32_mask(v, _mm512_set1_epi32(1 << b)));
    }
    // Lane l = p[(part·kLanes + l) >> kBits] (2^kBits < kLanes), from the whole vector p[0, kLanes):
    // kLanes >> kBits of its values, each over 2^kBits lanes.
    template <int kBits>
    static vec repeat_each(const float* p, std::size_t part) {
        const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        const __m512i index = _mm512_srli_epi32(_mm512_add_epi32(lane, _mm512_set1_epi32(int(part * kLanes))), kBits);
        return _mm512_permutexvar_ps(index, load(p));
    }

    // Lanes l + (l + 8) of a 16-lane accumulator (one vector): the first step of the canonical fold.
    static __m256 add_halves16(const vec (&acc)[1]) {
        const __m256 upper = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc[0]), 1));
        return _mm256_add_ps(_mm512_castps512_ps256(acc[0]), upper);
    }

private:
    static __mmask16 first_lanes(std::size_t count) { return __mmask16((1u << count) - 1u); }
};

}  // namespace
}  // namespace signcut::simd
