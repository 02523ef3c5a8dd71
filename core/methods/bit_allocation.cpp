#include "methods/bit_allocation.h"

#include <algorithm>
#include <cmath>
#include <queue>

namespace signcut {

namespace {

// The lower convex hull of a unit's (bits, error) points from width `from`: the next width is
// the one with the steepest fall of the error per bit (the smallest such width on ties).
// Quantisers are not always convex (min–max at 1 bit can be worse than the mean alone);
// stepping along the hull jumps over such widths.
std::size_t next_hull_width(const UnitCosts& unit, std::size_t from) {
    std::size_t best = from;
    double steepest = -INFINITY;
    for (std::size_t w = from + 1; w < unit.bits.size(); ++w) {
        const double slope =
            (unit.squared_error[from] - unit.squared_error[w]) / double(unit.bits[w] - unit.bits[from]);
        if (slope > steepest) steepest = slope, best = w;
    }
    return best;
}

}  // namespace

WidthAllocation allocate_widths(const std::vector<UnitCosts>& units, double budget_bits) {
    WidthAllocation out;
    std::uint64_t spent = 0;
    for (const UnitCosts& unit : units) spent += unit.bits.front();
    if (double(spent) > budget_bits) return out;
    out.widths.assign(units.size(), 0);

    // 1. Greedy along every unit's convex hull, the steepest step first. Ties go to the lower
    //    unit index, so the result depends on the costs alone.
    struct Step {
        double gain;  // error removed per bit
        std::size_t unit, to;
        bool operator<(const Step& other) const { return gain != other.gain ? gain < other.gain : unit > other.unit; }
    };
    const auto step_of = [&](std::size_t i) -> Step {
        const UnitCosts& u = units[i];
        const auto from = std::size_t(out.widths[i]);
        const std::size_t to = next_hull_width(u, from);
        return {(u.squared_error[from] - u.squared_error[to]) / double(u.bits[to] - u.bits[from]), i, to};
    };
    std::priority_queue<Step> steps;
    for (std::size_t i = 0; i < units.size(); ++i)
        if (units[i].bits.size() > 1) steps.push(step_of(i));
    while (!steps.empty()) {
        const Step step = steps.top();
        steps.pop();
        const UnitCosts& u = units[step.unit];
        const std::uint64_t extra = u.bits[step.to] - u.bits[std::size_t(out.widths[step.unit])];
        if (double(spent + extra) > budget_bits) continue;  // this unit stays where it is
        spent += extra;
        out.widths[step.unit] = int(step.to);
        if (step.to + 1 < u.bits.size()) steps.push(step_of(step.unit));
    }
    // 2. The bits left are less than any hull step: spend them on the best smaller steps that
    //    still lower an error, one at a time.
    for (;;) {
        double best_gain = 0;
        std::size_t best_unit = units.size(), best_to = 0;
        for (std::size_t i = 0; i < units.size(); ++i) {
            const UnitCosts& u = units[i];
            const auto from = std::size_t(out.widths[i]);
            for (std::size_t to = from + 1; to < u.bits.size(); ++to) {
                if (double(spent + u.bits[to] - u.bits[from]) > budget_bits) break;
                const double gain = (u.squared_error[from] - u.squared_error[to]) / double(u.bits[to] - u.bits[from]);
                if (gain > best_gain) best_gain = gain, best_unit = i, best_to = to;
            }
        }
        if (best_unit == units.size()) break;
        spent += units[best_unit].bits[best_to] - units[best_unit].bits[std::size_t(out.widths[best_unit])];
        out.widths[best_unit] = int(best_to);
    }
    out.bits = spent;
    return out;
}

RowWidths allocate_row_widths(const std::vector<UnitCosts>& rows, double budget_bits) {
    const auto with_code = [&](std::size_t first, std::size_t count, std::uint64_t code) {
        std::vector<UnitCosts> coded(rows.size());
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const std::size_t last = std::min(first + count, rows[r].bits.size());
            coded[r].squared_error.assign(rows[r].squared_error.begin() + std::ptrdiff_t(first),
                                          rows[r].squared_error.begin() + std::ptrdiff_t(last));
            for (std::size_t b = first; b < last; ++b) coded[r].bits.push_back(rows[r].bits[b] + code);
        }
        return coded;
    };
    const auto error_of = [&](const std::vector<int>& widths) {
        double sum = 0;
        for (std::size_t r = 0; r < rows.size(); ++r) sum += rows[r].squared_error[std::size_t(widths[r])];
        return sum;
    };
    RowWidths out;
    const WidthAllocation any = allocate_widths(with_code(0, rows.front().bits.size(), 4), budget_bits - 1);
    // One bit a row is enough when the widths span two adjacent values (or, failing that, the
    // rows fit at the lowest width, 0, with a bit each).
    std::size_t low = 0;
    if (!any.widths.empty()) {
        const auto [lo, hi] = std::minmax_element(any.widths.begin(), any.widths.end());
        low = *hi - *lo <= 1 ? std::size_t(*lo) : rows.front().bits.size();
    }
    if (low + 1 < rows.front().bits.size()) {
        WidthAllocation pair = allocate_widths(with_code(low, 2, 1), budget_bits - 5);
        if (!pair.widths.empty()) {
            for (int& w : pair.widths) w += int(low);
            if (any.widths.empty() || error_of(pair.widths) <= error_of(any.widths))
                return {pair.widths, pair.bits + 5, 5 + rows.size()};
        }
    }
    if (!any.widths.empty()) out = {any.widths, any.bits + 1, 1 + 4 * rows.size()};
    return out;
}

bool RowWidths::one_bit_a_row() const { return code_bits == 5 + widths.size(); }

void put_row_widths(BitWriter& out, const RowWidths& allocation) {
    const bool pair = allocation.one_bit_a_row();
    out.put(pair, 1);
    if (!pair) {
        for (int w : allocation.widths) out.put(std::uint64_t(w), 4);
        return;
    }
    const int base = *std::min_element(allocation.widths.begin(), allocation.widths.end());
    out.put(std::uint64_t(base), 4);
    for (int w : allocation.widths) out.put(std::uint64_t(w - base), 1);
}

std::vector<int> get_row_widths(BitReader& in, std::size_t rows, int max_width) {
    const bool pair = in.get(1) != 0;
    const int base = pair ? int(in.get(4)) : 0;
    std::vector<int> widths;
    if (!in.ok() || rows > in.remaining_bits()) return widths;  // each row takes a bit at least
    widths.resize(rows);
    for (int& w : widths) {
        w = pair ? base + int(in.get(1)) : int(in.get(4));
        if (!in.ok() || w > max_width) return {};
    }
    return widths;
}

int uniform_width(const std::vector<UnitCosts>& units, double budget_bits) {
    if (units.empty()) return -1;
    int best = -1;
    for (std::size_t b = 0; b < units.front().bits.size(); ++b) {
        std::uint64_t bits = 0;
        for (const UnitCosts& unit : units) bits += unit.bits[b];
        if (double(bits) <= budget_bits) best = int(b);
    }
    return best;
}

}  // namespace signcut
