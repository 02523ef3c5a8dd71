#pragma once
// tcq: trellis-coded quantisation after a random rotation, with the bits where the energy is.
//   0. Row means are stored apart (f16) when they hold a real share of the energy (row_means.h).
//   1. Every row is rotated by a seeded random orthogonal transform of its own length
//      (random_rotation.h), so its entries look Gaussian and the row keeps its energy.
//   2. Each row gets an 8-bit log scale σ̂_r = σ_max · 2^(−q/16) (σ_max, the largest row rms, in
//      f32), or all rows the matrix's rms (whichever gives the lower error: row scales pay
//      when the rows' energies differ), and a width K_r in 0 … 8 by reverse water-filling over
//      the rows' energies
//      (bit_allocation.h), with the error model n·σ̂_r²·D(K) of the trellis on N(0, 1)
//      (trellis_unit_gaussian_fit): bits go to the rows whose error they cut most, so on rows
//      of unequal energy the method can go below the i.i.d. Gaussian floor.
//   3. The rows of each width K, divided by their σ̂_r, are one stream, cut into sequences of
//      about T entries, each quantised by the tail-biting bitshift trellis (trellis.h) at K
//      bits per entry with one table scale per width, chosen on a sample of the sequences to
//      minimise the error.
// bits = 64 (seed) + 32 (σ_max or the rms) + 8 (L, row scales or not, means or not, T)
//        + 16 per width in use (table scale)
//        + width codes (allocate_row_widths) + Σ_rows (8-bit scale if any + K_r·n)
//        (+ 16 a row for the means) (+ the padding of a stream too short for L).
// Stored form, in that order: the header, the means, the width code, the row scales, then per
// width in use its table scale and its stream's symbols (K bits each), then K·n zero bits for
// each row of zeros at a width K ≥ 1 (counted like any row, never read).

#include <cstdint>
#include <span>

#include "methods/method.h"

namespace signcut {

struct TcqOptions {
    int state_bits = 12;                // L
    std::size_t sequence_length = 256;  // T
    std::uint64_t seed = 1;
};

Approximation trellis_coded_quantization(const Tensor& matrix, double bits_per_entry, const TcqOptions& options = {});
// The fewest bits it stores for a matrix of `rows` rows at L = state_bits (every row at width 0).
std::uint64_t tcq_minimum_bits(std::size_t rows, int state_bits);
// The reconstruction from its stored form; throws std::invalid_argument.
Tensor load_trellis_coded_quantization(std::span<const char> payload, const Shape& shape);

}  // namespace signcut
