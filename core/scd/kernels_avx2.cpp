// AVX2 (with FMA and POPCNT, which every AVX2 CPU has) twins of kernels_scalar.cpp;
// compiled with -mavx2 -mfma -mpopcnt only for this file.
#include <immintrin.h>

#include "scd/kernel_row_count.h"
#include "scd/kernels.h"
#include "scd/sign_overlap.h"

namespace signcut {
namespace {

// 0x80000000 in each lane whose bit of `bits` (8 bits) is set: each lane shifts its own
// bit into the sign position.
inline __m256 sign_mask8(std::uint32_t bits) {
    const __m256i to_sign_bit = _mm256_setr_epi32(31, 30, 29, 28, 27, 26, 25, 24);
    const __m256i shifted = _mm256_sllv_epi32(_mm256_set1_epi32(int(bits)), to_sign_bit);
    return _mm256_castsi256_ps(_mm256_and_si256(shifted, _mm256_set1_epi32(int(0x80000000u))));
}

// Lanes [0, count) all ones, the rest zero.
inline __m256i first_lanes(std::size_t count) {
    const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(int(count)), index);
}

inline std::uint32_t bits16_at(const std::uint64_t* signs, std::size_t i) {
    return std::uint32_t(signs[i >> 6] >> (i & 63)) & 0xFFFFu;  // i is a multiple of 16
}

float signed_sum(const float* x, const std::uint64_t* signs, std::size_t n) {
    __m256 lo = _mm256_setzero_ps();  // lanes 0..7
    __m256 hi = _mm256_setzero_ps();  // lanes 8..15
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const std::uint32_t bits = bits16_at(signs, i);
        lo = _mm256_add_ps(lo, _mm256_xor_ps(_mm256_loadu_ps(x + i), sign_mask8(bits & 0xFF)));
        hi = _mm256_add_ps(hi, _mm256_xor_ps(_mm256_loadu_ps(x + i + 8), sign_mask8(bits >> 8)));
    }
    if (i < n) {  // tail: absent entries load as +0 and leave their lane unchanged
        const std::size_t rest = n - i;
        const std::uint32_t bits = bits16_at(signs, i);
        const __m256 a = _mm256_maskload_ps(x + i, first_lanes(rest));
        lo = _mm256_add_ps(
            lo, _mm256_and_ps(_mm256_xor_ps(a, sign_mask8(bits & 0xFF)), _mm256_castsi256_ps(first_lanes(rest))));
        if (rest > 8) {
            const __m256 b = _mm256_maskload_ps(x + i + 8, first_lanes(rest - 8));
            hi = _mm256_add_ps(
                hi, _mm256_and_ps(_mm256_xor_ps(b, sign_mask8(bits >> 8)), _mm256_castsi256_ps(first_lanes(rest - 8))));
        }
    }
    const __m256 s8 = _mm256_add_ps(lo, hi);
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    s4 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    s4 = _mm_add_ss(s4, _mm_shuffle_ps(s4, s4, 1));
    return _mm_cvtss_f32(s4);
}

void accumulate(float* out, const float* x, bool negate, std::size_t n) {
    const __m256 flip = negate ? _mm256_set1_ps(-0.0f) : _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_add_ps(_mm256_loadu_ps(out + i), _mm256_xor_ps(_mm256_loadu_ps(x + i), flip)));
    for (; i < n; ++i) out[i] += negate ? -x[i] : x[i];
}

// The row count is a template parameter so that the signs and scales stay in registers.
template <std::size_t kCount>
void accumulate_rows_fixed(float* out, const float* const* rows, const bool* negate, std::size_t n) {
    __m256 flip[kCount];
    for (std::size_t r = 0; r < kCount; ++r) flip[r] = negate[r] ? _mm256_set1_ps(-0.0f) : _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {  // two independent chains hide the add latency
        __m256 s0 = _mm256_loadu_ps(out + i), s1 = _mm256_loadu_ps(out + i + 8);
        for (std::size_t r = 0; r < kCount; ++r) {
            s0 = _mm256_add_ps(s0, _mm256_xor_ps(_mm256_loadu_ps(rows[r] + i), flip[r]));
            s1 = _mm256_add_ps(s1, _mm256_xor_ps(_mm256_loadu_ps(rows[r] + i + 8), flip[r]));
        }
        _mm256_storeu_ps(out + i, s0), _mm256_storeu_ps(out + i + 8, s1);
    }
    for (; i < n; ++i)
        for (std::size_t r = 0; r < kCount; ++r) out[i] += negate[r] ? -rows[r][i] : rows[r][i];
}

void accumulate_rows(float* out, const float* const* rows, const bool* negate, std::size_t count, std::size_t n) {
    detail::with_row_count<kMaxAccumulateRows>(
        count, [&](auto rows_count) { accumulate_rows_fixed<decltype(rows_count)::value>(out, rows, negate, n); });
}

void add_table_lookups(float* out, const std::uint8_t* const* indices, const float* const* tables, std::size_t count,
                       std::size_t n) {
    // A 16-entry table is two 8-lane permutes (on the low three index bits) and a blend on
    // the fourth bit, moved into the sign position that blendv reads.
    __m256 low[kMaxTables], high[kMaxTables];
    for (std::size_t r = 0; r < count; ++r)
        low[r] = _mm256_loadu_ps(tables[r]), high[r] = _mm256_loadu_ps(tables[r] + 8);
    const auto lookup = [&](std::size_t r, std::size_t i) {
        const __m256i index = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(indices[r] + i)));
        const __m256 upper = _mm256_castsi256_ps(_mm256_slli_epi32(index, 28));
        return _mm256_blendv_ps(_mm256_permutevar8x32_ps(low[r], index), _mm256_permutevar8x32_ps(high[r], index),
                                upper);
    };
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {  // two independent chains
        __m256 s0 = _mm256_loadu_ps(out + i), s1 = _mm256_loadu_ps(out + i + 8);
        for (std::size_t r = 0; r < count; ++r) {
            s0 = _mm256_add_ps(s0, lookup(r, i));
            s1 = _mm256_add_ps(s1, lookup(r, i + 8));
        }
        _mm256_storeu_ps(out + i, s0), _mm256_storeu_ps(out + i + 8, s1);
    }
    for (; i < n; ++i)
        for (std::size_t r = 0; r < count; ++r) out[i] += tables[r][indices[r][i]];
}

void sign_bits(const float* x, std::size_t n, std::uint64_t* out) {
    const __m256 zero = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        std::uint64_t word = 0;
        for (int part = 0; part < 8; ++part)
            word |=
                std::uint64_t(_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(x + i + 8 * part), zero, _CMP_LT_OQ)))
                << (8 * part);
        out[i / 64] = word;
    }
    if (i < n) {
        std::uint64_t word = 0;
        for (std::size_t b = 0; i + b < n; ++b) word |= std::uint64_t(x[i + b] < 0.0f) << b;
        out[i / 64] = word;
    }
}

void add_signed_constant(float* row, const std::uint64_t* signs, float c, std::size_t n) {
    const __m256 value = _mm256_set1_ps(c);
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const std::uint32_t bits = bits16_at(signs, i);
        _mm256_storeu_ps(row + i,
                         _mm256_add_ps(_mm256_loadu_ps(row + i), _mm256_xor_ps(value, sign_mask8(bits & 0xFF))));
        _mm256_storeu_ps(row + i + 8,
                         _mm256_add_ps(_mm256_loadu_ps(row + i + 8), _mm256_xor_ps(value, sign_mask8(bits >> 8))));
    }
    for (; i < n; ++i) row[i] += ((signs[i >> 6] >> (i & 63)) & 1u) ? -c : c;
}

// Lane l holds costs[(s + l) >> K], the group of state s + l (s a multiple of 8).
template <int kBits>
inline __m256 group_costs8(const float* costs, std::size_t s) {
    const float* first = costs + (s >> kBits);
    if constexpr (kBits >= 3) {
        return _mm256_broadcast_ss(first);  // one group for all eight lanes
    } else {                                // 8 >> K groups, each spread over 2^K lanes
        const __m128 few = kBits == 1 ? _mm_loadu_ps(first)
                                      : _mm_castsi128_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(first)));
        const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        return _mm256_permutevar8x32_ps(_mm256_zextps128_ps256(few), _mm256_srli_epi32(lane, kBits));
    }
}

// Eight groups p … p+7 at a time, their 2^K candidate states j after j.
template <int kBits>
void viterbi_step_fixed(const float* costs, const float* values, float x, std::size_t groups, float* next_costs,
                        std::uint8_t* choices) {
    const __m256 xs = _mm256_set1_ps(x);
    // Byte 0 of each 32-bit lane to the low dword of its 128-bit half.
    const __m256i low_bytes = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8, 12,
                                               -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const auto candidate = [&](std::size_t s) {  // fma(x − v, x − v, group cost) for states s … s+7
        const __m256 d = _mm256_sub_ps(xs, _mm256_loadu_ps(values + s));
        return _mm256_fmadd_ps(d, d, group_costs8<kBits>(costs, s));
    };
    for (std::size_t p = 0; p < groups; p += 8) {
        __m256 best = candidate(p);
        __m256 choice = _mm256_setzero_ps();  // j as int32 bits
        for (int j = 1; j < (1 << kBits); ++j) {
            const __m256 c = candidate(p + std::size_t(j) * groups);
            const __m256 lower = _mm256_cmp_ps(c, best, _CMP_LT_OQ);
            best = _mm256_min_ps(c, best);  // c < best ? c : best: the earlier j keeps a tie
            choice = _mm256_blendv_ps(choice, _mm256_castsi256_ps(_mm256_set1_epi32(j)), lower);
        }
        _mm256_storeu_ps(next_costs + p, best);
        const __m256i bytes = _mm256_shuffle_epi8(_mm256_castps_si256(choice), low_bytes);
        _mm_storel_epi64(reinterpret_cast<__m128i*>(choices + p),
                         _mm_unpacklo_epi32(_mm256_castsi256_si128(bytes), _mm256_extracti128_si256(bytes, 1)));
    }
}

void viterbi_step(const float* costs, const float* values, float x, int state_bits, int bits_per_entry,
                  float* next_costs, std::uint8_t* choices) {
    const std::size_t groups = std::size_t(1) << (state_bits - bits_per_entry);
    if (groups < 8)  // fewer groups than lanes
        return scalar_kernels().viterbi_step(costs, values, x, state_bits, bits_per_entry, next_costs, choices);
    detail::with_row_count<8>(std::size_t(bits_per_entry), [&](auto bits) {  // K as a template parameter
        viterbi_step_fixed<int(decltype(bits)::value)>(costs, values, x, groups, next_costs, choices);
    });
}

}  // namespace

const Kernels& avx2_kernels() {
    static const Kernels table{Isa::avx2,         signed_sum, accumulate,          accumulate_rows,
                               add_table_lookups, sign_bits,  add_signed_constant, detail::changed_overlaps_impl,
                               viterbi_step};
    return table;
}

}  // namespace signcut
