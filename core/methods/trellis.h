#pragma once
// The bitshift trellis of QTIP (Tseng, Sun, Hou, De Sa, NeurIPS 2024): trellis-coded
// quantisation of sequences at K bits per entry. An L-bit state shifts in K bits per entry,
//   state_t = ((state_{t−1} << K) | symbol_t) mod 2^L,   x̂_t = table_scale · table[state_t],
// and a sequence of n entries is stored as its n·K symbol bits only: the stream is read
// circularly (tail-biting), so state_{−1} is the last L−K bits of the stream. The encoder
// is the Viterbi algorithm; the decoder is a shift register and a table lookup.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace signcut {

struct TrellisCode {
    int state_bits = 12;     // L, with bits_per_entry < L ≤ 16
    int bits_per_entry = 2;  // K, with 1 ≤ K ≤ 8
};

// The reproduction values of the 2^L states (2 ≤ L ≤ 16): the N(0, 1) quantiles
// Φ⁻¹((i + ½)/2^L), dealt to the states by a fixed seeded permutation. Built once per L.
const std::vector<float>& trellis_table(int state_bits);

// Tail-biting quantisation of x[0, n) (n·K ≥ L, every x_t finite, table_scale finite):
// writes n symbols (each < 2^K) and returns Σ_t (x_t − x̂_t)², x̂ being what trellis_decode
// gives for these symbols. Viterbi fixes the closing bits as QTIP does (see trellis.cpp), so
// the stream is the best one among those with its closing bits, not always the best of all.
double trellis_quantize(const TrellisCode& code, const float* x, std::size_t n, float table_scale,
                        std::uint8_t* symbols);

// The best stream of x[0, n) among those whose last L−K bits are `overlap` (< 2^(L−K)),
// exactly (Viterbi); same preconditions and result as trellis_quantize.
double trellis_quantize_with_overlap(const TrellisCode& code, const float* x, std::size_t n, float table_scale,
                                     std::uint32_t overlap, std::uint8_t* symbols);

// x̂ of n symbols (n·K ≥ L, each symbol < 2^K), the stream read circularly.
void trellis_decode(const TrellisCode& code, const std::uint8_t* symbols, std::size_t n, float table_scale, float* out);

// Quantises consecutive sequences of x, of the given lengths (summing to x.size(), each with
// length·K ≥ L), independently and in parallel on oneTBB. Sequence i's symbols go to the same
// entries of `symbols` (x.size() of them), and its x̂ to `reconstruction` unless that is empty.
// Returns the squared error of each sequence. The result does not depend on the thread count.
std::vector<double> trellis_quantize_sequences(const TrellisCode& code, std::span<const float> x,
                                               std::span<const std::size_t> lengths, float table_scale,
                                               std::span<std::uint8_t> symbols, std::span<float> reconstruction = {});

// The table scale with the least mean squared error on a fixed N(0, 1) sample (16 sequences of
// 256 entries), and that error per entry: D(K) for unit-variance data. Computed once per (L, K).
struct TrellisGaussianFit {
    float table_scale;
    double mse;
};
const TrellisGaussianFit& trellis_unit_gaussian_fit(const TrellisCode& code);

}  // namespace signcut
