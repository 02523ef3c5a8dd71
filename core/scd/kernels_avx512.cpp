// AVX-512 (F) twins of kernels_scalar.cpp; compiled with -mavx512f only for this file.
#include <immintrin.h>

#include "scd/kernel_row_count.h"
#include "scd/kernels.h"
#include "scd/sign_overlap.h"

namespace signcut {
namespace {

inline __mmask16 bits16_at(const std::uint64_t* signs, std::size_t i) {
    return __mmask16(signs[i >> 6] >> (i & 63));  // i is a multiple of 16
}

inline __mmask16 first_lanes(std::size_t count) { return __mmask16((1u << count) - 1u); }

// Flips the sign of the lanes selected by `mask` (an exact negation, like the scalar −x).
inline __m512 negate_where(__m512 x, __mmask16 mask) {
    const __m512i sign = _mm512_set1_epi32(int(0x80000000u));
    const __m512i xi = _mm512_castps_si512(x);
    return _mm512_castsi512_ps(_mm512_mask_xor_epi32(xi, mask, xi, sign));
}

float signed_sum(const float* x, const std::uint64_t* signs, std::size_t n) {
    __m512 acc = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) acc = _mm512_add_ps(acc, negate_where(_mm512_loadu_ps(x + i), bits16_at(signs, i)));
    if (i < n) {  // absent tail entries load as +0 and leave their lane unchanged
        const __mmask16 valid = first_lanes(n - i);
        acc =
            _mm512_mask_add_ps(acc, valid, acc, negate_where(_mm512_maskz_loadu_ps(valid, x + i), bits16_at(signs, i)));
    }
    // Lanes l + (l + 8), then the 256-bit fold of the AVX2 twin.
    const __m512 folded = _mm512_add_ps(acc, _mm512_shuffle_f32x4(acc, acc, _MM_SHUFFLE(3, 2, 3, 2)));
    const __m256 s8 = _mm512_castps512_ps256(folded);
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    s4 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    s4 = _mm_add_ss(s4, _mm_shuffle_ps(s4, s4, 1));
    return _mm_cvtss_f32(s4);
}

void accumulate(float* out, const float* x, bool negate, std::size_t n) {
    const __mmask16 flip = negate ? 0xFFFF : 0;
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(out + i, _mm512_add_ps(_mm512_loadu_ps(out + i), negate_where(_mm512_loadu_ps(x + i), flip)));
    if (i < n) {
        const __mmask16 valid = first_lanes(n - i);
        const __m512 sum = _mm512_add_ps(_mm512_maskz_loadu_ps(valid, out + i),
                                         negate_where(_mm512_maskz_loadu_ps(valid, x + i), flip));
        _mm512_mask_storeu_ps(out + i, valid, sum);
    }
}

// The row count is a template parameter so that the signs and scales stay in registers;
// several blocks of 16 entries run side by side (independent chains hide the add latency,
// and every entry still adds its rows in order, as the scalar twin does).
template <std::size_t kCount>
void accumulate_rows_fixed(float* out, const float* const* rows, const bool* negate, std::size_t n) {
    __mmask16 flip[kCount];
    for (std::size_t r = 0; r < kCount; ++r) flip[r] = negate[r] ? 0xFFFF : 0;
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 s0 = _mm512_loadu_ps(out + i), s1 = _mm512_loadu_ps(out + i + 16);
        for (std::size_t r = 0; r < kCount; ++r) {
            s0 = _mm512_add_ps(s0, negate_where(_mm512_loadu_ps(rows[r] + i), flip[r]));
            s1 = _mm512_add_ps(s1, negate_where(_mm512_loadu_ps(rows[r] + i + 16), flip[r]));
        }
        _mm512_storeu_ps(out + i, s0), _mm512_storeu_ps(out + i + 16, s1);
    }
    for (; i < n; i += 16) {  // at most two blocks, the last one masked
        const __mmask16 valid = n - i >= 16 ? __mmask16(0xFFFF) : first_lanes(n - i);
        __m512 sum = _mm512_maskz_loadu_ps(valid, out + i);
        for (std::size_t r = 0; r < kCount; ++r)
            sum = _mm512_add_ps(sum, negate_where(_mm512_maskz_loadu_ps(valid, rows[r] + i), flip[r]));
        _mm512_mask_storeu_ps(out + i, valid, sum);
    }
}

void accumulate_rows(float* out, const float* const* rows, const bool* negate, std::size_t count, std::size_t n) {
    detail::with_row_count<kMaxAccumulateRows>(
        count, [&](auto rows_count) { accumulate_rows_fixed<decltype(rows_count)::value>(out, rows, negate, n); });
}

void add_table_lookups(float* out, const std::uint8_t* const* indices, const float* const* tables, std::size_t count,
                       std::size_t n) {
    __m512 table[kMaxTables];  // 16 floats: one register each, indexed by vpermps
    for (std::size_t r = 0; r < count; ++r) table[r] = _mm512_loadu_ps(tables[r]);
    const auto lookup = [&](std::size_t r, std::size_t i) {
        const __m512i index = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(indices[r] + i)));
        return _mm512_permutexvar_ps(index, table[r]);
    };
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {  // two independent chains
        __m512 s0 = _mm512_loadu_ps(out + i), s1 = _mm512_loadu_ps(out + i + 16);
        for (std::size_t r = 0; r < count; ++r) {
            s0 = _mm512_add_ps(s0, lookup(r, i));
            s1 = _mm512_add_ps(s1, lookup(r, i + 16));
        }
        _mm512_storeu_ps(out + i, s0), _mm512_storeu_ps(out + i + 16, s1);
    }
    for (; i + 16 <= n; i += 16) {
        __m512 sum = _mm512_loadu_ps(out + i);
        for (std::size_t r = 0; r < count; ++r) sum = _mm512_add_ps(sum, lookup(r, i));
        _mm512_storeu_ps(out + i, sum);
    }
    for (; i < n; ++i)
        for (std::size_t r = 0; r < count; ++r) out[i] += tables[r][indices[r][i]];
}

void sign_bits(const float* x, std::size_t n, std::uint64_t* out) {
    const __m512 zero = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        std::uint64_t word = 0;
        for (int part = 0; part < 4; ++part)
            word |= std::uint64_t(_mm512_cmp_ps_mask(_mm512_loadu_ps(x + i + 16 * part), zero, _CMP_LT_OQ))
                    << (16 * part);
        out[i / 64] = word;
    }
    if (i < n) {
        std::uint64_t word = 0;
        for (std::size_t b = 0; i + b < n; ++b) word |= std::uint64_t(x[i + b] < 0.0f) << b;
        out[i / 64] = word;
    }
}

void add_signed_constant(float* row, const std::uint64_t* signs, float c, std::size_t n) {
    const __m512 value = _mm512_set1_ps(c);
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(row + i, _mm512_add_ps(_mm512_loadu_ps(row + i), negate_where(value, bits16_at(signs, i))));
    if (i < n) {
        const __mmask16 valid = first_lanes(n - i);
        const __m512 sum =
            _mm512_add_ps(_mm512_maskz_loadu_ps(valid, row + i), negate_where(value, bits16_at(signs, i)));
        _mm512_mask_storeu_ps(row + i, valid, sum);
    }
}

// Lane l holds costs[(s + l) >> K], the group of state s + l (s a multiple of 16).
template <int kBits>
inline __m512 group_costs16(const float* costs, std::size_t s) {
    const float* first = costs + (s >> kBits);
    if constexpr (kBits >= 4) {
        return _mm512_set1_ps(*first);  // one group for all sixteen lanes
    } else {                            // 16 >> K groups, each spread over 2^K lanes
        const __m512 few = [first] {
            if constexpr (kBits == 1) return _mm512_zextps256_ps512(_mm256_loadu_ps(first));
            else if constexpr (kBits == 2) return _mm512_zextps128_ps512(_mm_loadu_ps(first));
            else
                return _mm512_zextps128_ps512(
                    _mm_castsi128_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(first))));
        }();
        const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        return _mm512_permutexvar_ps(_mm512_srli_epi32(lane, kBits), few);
    }
}

// Sixteen groups p … p+15 at a time, their 2^K candidate states j after j.
template <int kBits>
void viterbi_step_fixed(const float* costs, const float* values, float x, std::size_t groups, float* next_costs,
                        std::uint8_t* choices) {
    const __m512 xs = _mm512_set1_ps(x);
    const auto candidate = [&](std::size_t s) {  // fma(x − v, x − v, group cost) for states s … s+15
        const __m512 d = _mm512_sub_ps(xs, _mm512_loadu_ps(values + s));
        return _mm512_fmadd_ps(d, d, group_costs16<kBits>(costs, s));
    };
    for (std::size_t p = 0; p < groups; p += 16) {
        __m512 best = candidate(p);
        __m512i choice = _mm512_setzero_si512();
        for (int j = 1; j < (1 << kBits); ++j) {
            const __m512 c = candidate(p + std::size_t(j) * groups);
            const __mmask16 lower = _mm512_cmp_ps_mask(c, best, _CMP_LT_OQ);  // the earlier j keeps a tie
            best = _mm512_mask_mov_ps(best, lower, c);
            choice = _mm512_mask_mov_epi32(choice, lower, _mm512_set1_epi32(j));
        }
        _mm512_storeu_ps(next_costs + p, best);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(choices + p), _mm512_cvtepi32_epi8(choice));
    }
}

void viterbi_step(const float* costs, const float* values, float x, int state_bits, int bits_per_entry,
                  float* next_costs, std::uint8_t* choices) {
    const std::size_t groups = std::size_t(1) << (state_bits - bits_per_entry);
    if (groups < 16)  // fewer groups than lanes
        return scalar_kernels().viterbi_step(costs, values, x, state_bits, bits_per_entry, next_costs, choices);
    detail::with_row_count<8>(std::size_t(bits_per_entry), [&](auto bits) {  // K as a template parameter
        viterbi_step_fixed<int(decltype(bits)::value)>(costs, values, x, groups, next_costs, choices);
    });
}

}  // namespace

const Kernels& avx512_kernels() {
    static const Kernels table{Isa::avx512,       signed_sum, accumulate,          accumulate_rows,
                               add_table_lookups, sign_bits,  add_signed_constant, detail::changed_overlaps_impl,
                               viterbi_step};
    return table;
}

}  // namespace signcut
