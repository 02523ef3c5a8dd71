#pragma once
// Mixed widths by reverse water-filling: a matrix is cut into units (rows, or blocks of rows),
// each stored at its own integer width. Starting from width 0 everywhere, the next step goes to
// the unit whose step (along the lower convex hull of its error against its bits) removes the
// most squared error per bit spent, as long as the budget allows; the bits left then go to the
// best smaller steps that fit. For convex error curves this is the optimal allocation (the
// discrete form of reverse water-filling); it never spends more than the budget.

#include <cstdint>
#include <vector>

#include "io/bit_stream.h"

namespace signcut {

struct UnitCosts {
    std::vector<double> squared_error;  // [b]: the unit's ‖x − x̂‖² at width b = 0 … max
    std::vector<std::uint64_t> bits;    // [b]: everything the unit stores at width b
};

struct WidthAllocation {
    std::vector<int> widths;  // per unit
    std::uint64_t bits = 0;   // Σ units' bits at their widths
};

// Widths for every unit within `budget_bits` (the units' own bits only). Fails (widths empty)
// when even width 0 everywhere does not fit.
WidthAllocation allocate_widths(const std::vector<UnitCosts>& units, double budget_bits);

// Widths of the rows of a matrix, with the code that stores them: a flag bit, then four bits
// a row, or, when two adjacent widths b and b + 1 are enough, a 4-bit b once and one bit a row
// (then reallocated within those two widths with the bits saved). `rows` holds each row's own
// costs, without its width code; `bits` below includes the codes.
struct RowWidths {
    std::vector<int> widths;
    std::uint64_t bits = 0;
    std::uint64_t code_bits = 0;  // of the width codes, included in `bits`
    bool one_bit_a_row() const;   // the second form of the code
};
RowWidths allocate_row_widths(const std::vector<UnitCosts>& rows, double budget_bits);

// The width code as a stored form writes it (exactly code_bits), and reads it back: empty
// when the stream ends early or a width is above max_width.
void put_row_widths(BitWriter& out, const RowWidths& allocation);
std::vector<int> get_row_widths(BitReader& in, std::size_t rows, int max_width);

// The same units all at one width: the largest that fits (−1 when none does). The baseline the
// mixed widths are measured against.
int uniform_width(const std::vector<UnitCosts>& units, double budget_bits);

}  // namespace signcut

#include <oneapi/tbb/parallel_for.h>

#include <cmath>
#include <string>

#include "methods/method.h"

namespace signcut {

// The fewest bits a matrix of `rows` rows at mixed widths stores: `fixed_bits`, every row at
// width 0 (`row_bits_at_0` each) and the shortest width code (a flag, one 4-bit width, a bit a row).
constexpr std::uint64_t mixed_widths_minimum_bits(std::size_t rows, std::uint64_t fixed_bits,
                                                  std::uint64_t row_bits_at_0) {
    return fixed_bits + 5 + std::uint64_t(rows) * (row_bits_at_0 + 1);
}

// A row-by-row quantiser at mixed widths. `quantize(row, in, out, width)` writes row `row`'s
// reconstruction at `width` (0 … max_width) and returns its squared error; `row_bits(width)`
// is what one row stores at that width (its width code aside); `fixed_bits` what the
// matrix stores once (a seed, a table). Every row is tried at every width, the widths are
// allocated within the budget, and the rows are quantised once more at their widths. The note
// names the widths used and what the best uniform width would have given. `chosen_widths`, if
// given, receives the allocation (for the stored form of the method).
template <typename Quantize, typename RowBits>
Approximation quantize_rows_at_mixed_widths(const Tensor& matrix, double bits_per_entry, int max_width,
                                            std::uint64_t fixed_bits, const RowBits& row_bits, const Quantize& quantize,
                                            RowWidths* chosen_widths = nullptr) {
    const std::size_t rows = matrix.dim(0), cols = matrix.dim(1);
    std::vector<UnitCosts> units(rows);
    oneapi::tbb::parallel_for(std::size_t(0), rows, [&](std::size_t r) {
        std::vector<float> scratch(cols);
        for (int b = 0; b <= max_width; ++b) {
            units[r].squared_error.push_back(quantize(r, &matrix.data()[r * cols], scratch.data(), b));
            units[r].bits.push_back(row_bits(b));
        }
    });
    const double budget = bits_per_entry * double(matrix.size()) - double(fixed_bits);
    const RowWidths allocation = allocate_row_widths(units, budget);
    if (allocation.widths.empty())
        return unmet(
            "width 0 in every row needs " +
            std::to_string(double(mixed_widths_minimum_bits(rows, fixed_bits, row_bits(0))) / double(matrix.size())) +
            " bits per entry");
    if (chosen_widths) *chosen_widths = allocation;
    Approximation out{Tensor(matrix.shape()), fixed_bits + allocation.bits, {}, true};
    oneapi::tbb::parallel_for(std::size_t(0), rows, [&](std::size_t r) {
        quantize(r, &matrix.data()[r * cols], &out.reconstruction.data()[r * cols], allocation.widths[r]);
    });
    std::vector<std::size_t> rows_at(std::size_t(max_width) + 1, 0);
    for (int w : allocation.widths) ++rows_at[std::size_t(w)];
    std::string widths;
    for (std::size_t b = 0; b < rows_at.size(); ++b)
        if (rows_at[b])
            widths += (widths.empty() ? "" : ", ") + std::to_string(rows_at[b]) + " rows at " + std::to_string(b);
    out.note = "widths: " + widths;
    const int uniform = uniform_width(units, budget - 5);  // a flag and one 4-bit width for the matrix
    if (uniform >= 0 && matrix.squared_norm() > 0) {
        double error = 0;
        for (const UnitCosts& unit : units) error += unit.squared_error[std::size_t(uniform)];
        out.note += "; one width (" + std::to_string(uniform) + ") everywhere: error " +
                    std::to_string(std::sqrt(error / matrix.squared_norm()));
    }
    return out;
}

}  // namespace signcut
