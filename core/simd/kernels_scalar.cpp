// The scalar reference kernels. The SIMD twins must match these bit for bit.
#include <algorithm>
#include <cmath>

#include "simd/kernels.h"
#include "simd/sign_overlap.h"

namespace signcut {
namespace {

inline float apply_sign(float x, std::uint64_t bit) { return bit ? -x : x; }

float signed_sum(const float* x, const std::uint64_t* signs, std::size_t n) {
    float lane[16] = {};
    for (std::size_t i = 0; i < n; ++i) lane[i % 16] += apply_sign(x[i], (signs[i >> 6] >> (i & 63)) & 1u);
    for (int width = 8; width >= 1; width /= 2)
        for (int l = 0; l < width; ++l) lane[l] += lane[l + width];
    return lane[0];
}

void accumulate(float* out, const float* x, bool negate, std::size_t n) {
    if (negate)
        for (std::size_t i = 0; i < n; ++i) out[i] += -x[i];
    else
        for (std::size_t i = 0; i < n; ++i) out[i] += x[i];
}

void accumulate_rows(float* out, const float* const* rows, const bool* negate, std::size_t count, std::size_t n) {
    for (std::size_t r = 0; r < count; ++r) accumulate(out, rows[r], negate[r], n);
}

void add_table_lookups(float* out, const std::uint8_t* const* indices, const float* const* tables, std::size_t count,
                       std::size_t n) {
    for (std::size_t r = 0; r < count; ++r)
        for (std::size_t i = 0; i < n; ++i) out[i] += tables[r][indices[r][i]];
}

void add_sign_tile_lookups(float* acc, std::size_t acc_stride, const std::uint64_t* tiles, std::size_t tile_stride,
                           std::size_t blocks, const float* tables, std::size_t table_stride, std::size_t vectors,
                           std::size_t groups) {
    for (std::size_t v = 0; v < vectors; ++v)
        for (std::size_t b = 0; b < blocks; ++b)
            for (std::size_t l = 0; l < 16; ++l) {
                float sum = acc[v * acc_stride + 16 * b + l];
                for (std::size_t g = 0; g < groups; ++g)
                    sum += tables[v * table_stride + 16 * g +
                                  ((tiles[b * tile_stride + g] >> sign_tile_nibble_shift(l)) & 15u)];
                acc[v * acc_stride + 16 * b + l] = sum;
            }
}

void sign_bits(const float* x, std::size_t n, std::uint64_t* out) {
    for (std::size_t w = 0; w < (n + 63) / 64; ++w) {
        std::uint64_t word = 0;
        for (std::size_t b = 0; b < 64 && w * 64 + b < n; ++b) word |= std::uint64_t(x[w * 64 + b] < 0.0f) << b;
        out[w] = word;
    }
}

void add_signed_constant(float* row, const std::uint64_t* signs, float c, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) row[i] += apply_sign(c, (signs[i >> 6] >> (i & 63)) & 1u);
}

// Bit b of each byte of `run`, as one byte: the multiply moves bit 8i of the masked word to bit
// 56 + i (the partial products land on distinct bits, so nothing carries).
inline std::uint8_t bit_of_each_byte(std::uint64_t run, int b) {
    return std::uint8_t((((run >> b) & 0x0101010101010101ull) * 0x0102040810204080ull) >> 56);
}

// The choices of groups first … first+7 (byte i of `run`, zero past the last group) into the
// bit planes: bit b of choice i to bit b·groups + first + i.
void store_choice_planes(std::uint8_t* choices, std::size_t groups, int bits_per_entry, std::size_t first,
                         std::uint64_t run) {
    if (groups >= 8) {  // each plane starts on a byte
        for (int b = 0; b < bits_per_entry; ++b)
            choices[(std::size_t(b) * groups + first) / 8] = bit_of_each_byte(run, b);
        return;
    }
    std::uint32_t word = 0;  // fewer than 8 groups: K·groups ≤ 32 bits in all
    for (int b = 0; b < bits_per_entry; ++b) word |= std::uint32_t(bit_of_each_byte(run, b)) << (b * int(groups));
    for (std::size_t i = 0; i < (std::size_t(bits_per_entry) * groups + 7) / 8; ++i)
        choices[i] = std::uint8_t(word >> (8 * i));
}

// The fma is explicit on every path: GCC contracts a separate d·d and + cost into one FMA in
// the twins built with -mfma (its default -ffp-contract=fast), so only an fma everywhere rounds alike.
[[gnu::always_inline]] inline void viterbi_loop(const float* costs, const float* values, float x, int state_bits,
                                                int bits_per_entry, float* next_costs, std::uint8_t* choices) {
    const std::size_t groups = std::size_t(1) << (state_bits - bits_per_entry);  // 2^(L−K)
    for (std::size_t first = 0; first < groups; first += 8) {
        std::uint64_t run = 0;  // the choices of groups first … first+7, a byte each
        const std::size_t end = std::min(first + 8, groups);
        for (std::size_t p = first; p < end; ++p) {
            float best = 0.0f;
            int choice = 0;
            for (int j = 0; j < 1 << bits_per_entry; ++j) {
                const std::size_t s = p + std::size_t(j) * groups;
                const float d = x - values[s];
                const float c = std::fma(d, d, costs[s >> bits_per_entry]);
                if (j == 0 || c < best) best = c, choice = j;
            }
            next_costs[p] = best;
            run |= std::uint64_t(choice) << (8 * (p - first));
        }
        if (choices) store_choice_planes(choices, groups, bits_per_entry, first, run);
    }
}

// Built without -mfma, std::fma is a call to the C library's software fma, some hundred times
// slower than the instruction (the scalar trellis took minutes where AVX2 takes seconds). Both
// round once, exactly, so the instruction is used where the CPU has it, with the same results.
[[gnu::target("fma")]] void viterbi_step_fma(const float* costs, const float* values, float x, int state_bits,
                                             int bits_per_entry, float* next_costs, std::uint8_t* choices) {
    viterbi_loop(costs, values, x, state_bits, bits_per_entry, next_costs, choices);
}

void viterbi_step(const float* costs, const float* values, float x, int state_bits, int bits_per_entry,
                  float* next_costs, std::uint8_t* choices) {
    static const bool fma_instruction = __builtin_cpu_supports("fma");
    if (fma_instruction) return viterbi_step_fma(costs, values, x, state_bits, bits_per_entry, next_costs, choices);
    viterbi_loop(costs, values, x, state_bits, bits_per_entry, next_costs, choices);
}

}  // namespace

const Kernels& scalar_kernels() {
    static constexpr Kernels table{
        .isa = Isa::scalar,
        .signed_sum = signed_sum,
        .accumulate = accumulate,
        .accumulate_rows = accumulate_rows,
        .add_table_lookups = add_table_lookups,
        .add_sign_tile_lookups = add_sign_tile_lookups,
        .sign_bits = sign_bits,
        .add_signed_constant = add_signed_constant,
        .changed_overlaps = detail::changed_overlaps_impl,
        .viterbi_step = viterbi_step,
    };
    return table;
}

}  // namespace signcut
