// Packing sign vectors into the tiles of sign_matrix.h, in parallel over independent tiles.
#include "scd/sign_matrix.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>

namespace signcut {
namespace {

// The bits at 0, 2, …, 14 of `bits` moved to 0, 1, …, 7.
std::uint64_t even_bits(std::uint64_t bits) {
    bits &= 0x5555;
    bits = (bits | (bits >> 1)) & 0x3333;
    bits = (bits | (bits >> 2)) & 0x0F0F;
    return (bits | (bits >> 4)) & 0x00FF;
}

// Bit i of the low 8 bits moved to bit 4i.
std::uint64_t spread_to_nibbles(std::uint64_t bits) {
    bits = (bits | (bits << 12)) & 0x000F000Full;
    bits = (bits | (bits << 6)) & 0x03030303ull;
    return (bits | (bits << 3)) & 0x11111111ull;
}

// One column's signs down a block (bit l: row l) moved to their nibbles' bit 0 (nibble_shift).
std::uint64_t column_to_nibbles(std::uint64_t bits) {
    return spread_to_nibbles(even_bits(bits)) | spread_to_nibbles(even_bits(bits >> 1)) << 32;
}

// The low `count` bits set (count ≤ 64).
std::uint64_t low_bits(std::size_t count) { return count >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << count) - 1; }

}  // namespace

SignMatrix::SignMatrix(std::size_t rows, std::size_t cols)
    : rows_(rows),
      cols_(cols),
      groups_((cols + kGroupColumns - 1) / kGroupColumns),
      tiles_(row_blocks() * groups_, 0) {}

SignMatrix SignMatrix::from_rows(std::size_t rows, std::size_t cols,
                                 const std::function<const std::uint64_t*(std::size_t)>& row_words) {
    SignMatrix m(rows, cols);
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, m.row_blocks()), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t block = r.begin(); block != r.end(); ++block) {
                std::uint64_t* tiles = m.tiles_.data() + block * m.groups_;
                for (std::size_t l = 0; l < kBlockRows && block * kBlockRows + l < rows; ++l) {
                    const std::uint64_t* words = row_words(block * kBlockRows + l);
                    for (std::size_t g = 0; g < m.groups_; ++g) {
                        // A group's four bits never straddle two words (64 is a multiple of 4).
                        const std::uint64_t valid = low_bits(std::min(kGroupColumns, cols - g * kGroupColumns));
                        const std::uint64_t nibble = (words[g / 16] >> (4 * (g % 16))) & valid;
                        tiles[g] |= nibble << nibble_shift(l);
                    }
                }
            }
        });
    return m;
}

SignMatrix SignMatrix::from_columns(std::size_t rows, std::size_t cols,
                                    const std::function<const std::uint64_t*(std::size_t)>& column_words) {
    SignMatrix m(rows, cols);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m.groups_), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t g = r.begin(); g != r.end(); ++g)
            for (std::size_t k = 0; k < kGroupColumns && g * kGroupColumns + k < cols; ++k) {
                const std::uint64_t* words = column_words(g * kGroupColumns + k);
                for (std::size_t block = 0; block < m.row_blocks(); ++block) {
                    const std::size_t first = block * kBlockRows;  // a block's 16 bits never straddle two words
                    const std::uint64_t bits =
                        (words[first / 64] >> (first % 64)) & low_bits(std::min(kBlockRows, rows - first));
                    m.tiles_[block * m.groups_ + g] |= column_to_nibbles(bits) << k;
                }
            }
    });
    return m;
}

SignMatrix SignMatrix::from_entries(std::size_t rows, std::size_t cols,
                                    const std::function<bool(std::size_t, std::size_t)>& is_negative) {
    SignMatrix m(rows, cols);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c)
            if (is_negative(r, c))
                m.tiles_[r / kBlockRows * m.groups_ + c / kGroupColumns] |=
                    std::uint64_t(1) << (nibble_shift(r % kBlockRows) + c % kGroupColumns);
    return m;
}

}  // namespace signcut
