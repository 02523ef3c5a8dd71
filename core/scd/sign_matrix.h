#pragma once
// A ±1 matrix in the layout its products read (sign_matrix_product.h): tiles of 16 rows × 4
// columns, one u64 each, holding row l's four signs in the nibble at bit nibble_shift(l), bit k
// of the nibble set where column 4g + k is −1 (as in sign_bits.h). The tiles of one block of 16
// rows follow each other, one per group of four columns; rows and columns past the matrix are +1.
//
// Why not rows of packed bits: the table-lookup product adds, for each group of four columns,
// one table entry per row, and with this layout sixteen rows' indices sit in one word that a
// SIMD permute turns into sixteen lookups at once. It holds the same number of bits.
// Why even rows in the low half and odd rows in the high half: a 64-bit broadcast of the tile
// shifted right by 0, 4, …, 28 in its eight 64-bit lanes leaves row l's nibble at the bottom of
// 32-bit lane l, two instructions per sixteen indices.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "simd/kernels.h"  // the tile layout

namespace signcut {

class SignMatrix {
public:
    static constexpr std::size_t kBlockRows = kSignTileRows, kGroupColumns = kSignTileColumns;

    // Row l's nibble of a tile (simd/kernels.h says where).
    static constexpr unsigned nibble_shift(std::size_t l) { return sign_tile_nibble_shift(l); }

    SignMatrix() = default;
    // Row r's signs are the first `cols` bits of row_words(r), packed as sign_bits.h packs them.
    static SignMatrix from_rows(std::size_t rows, std::size_t cols,
                                const std::function<const std::uint64_t*(std::size_t)>& row_words);
    // Column c's signs (down the rows) are the first `rows` bits of column_words(c): how a
    // decomposition stores its left sign vectors.
    static SignMatrix from_columns(std::size_t rows, std::size_t cols,
                                   const std::function<const std::uint64_t*(std::size_t)>& column_words);

    // Entry (r, c) is −1 where is_negative(r, c) (one call per entry: for small or one-off matrices).
    static SignMatrix from_entries(std::size_t rows, std::size_t cols,
                                   const std::function<bool(std::size_t, std::size_t)>& is_negative);

    std::size_t rows() const { return rows_; }
    std::size_t cols() const { return cols_; }
    std::size_t row_blocks() const { return (rows_ + kBlockRows - 1) / kBlockRows; }
    std::size_t groups() const { return groups_; }
    // The groups() tiles of rows 16·block … 16·block + 15.
    const std::uint64_t* block_tiles(std::size_t block) const { return tiles_.data() + block * groups_; }
    std::size_t bytes() const { return tiles_.size() * sizeof(std::uint64_t); }

    bool is_negative(std::size_t row, std::size_t col) const {
        const std::uint64_t tile = tiles_[row / kBlockRows * groups_ + col / kGroupColumns];
        return (tile >> (nibble_shift(row % kBlockRows) + col % kGroupColumns)) & 1u;
    }

private:
    SignMatrix(std::size_t rows, std::size_t cols);

    std::size_t rows_ = 0, cols_ = 0, groups_ = 0;
    std::vector<std::uint64_t> tiles_;
};

}  // namespace signcut
