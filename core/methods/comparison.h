#pragma once
// One comparison of the low-bit methods on one input, the use case behind `signcut-cli compare`,
// the GUI's Compare tab and Python's `signcut.compare`: which (method, budget) points run and in
// what order, one measured point (its row and its reconstruction), the rate–distortion floors
// as rows, and one visitor over a row's fields, so every front end reports the same keys in the
// same order with the same rules for missing values.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "methods/image_quality.h"
#include "methods/method.h"
#include "tensor/tensor.h"

namespace signcut {

struct ComparisonRequest {
    std::vector<std::string> methods;  // registry names (method_names()), in the order given
    std::vector<double> budgets;       // bits per entry, as asked
    bool curves = false;               // also each method's curve over the budgets' range
    MethodOptions options;             // bits_per_entry is set per point
};

struct PlannedPoint {
    std::string method;
    double budget = 0.0;
    bool on_curve = false;  // a point of the method's curve, not one of the budgets asked for
};

// Budgets asked outermost (every method's cheap points come first, so a chart fills in from
// the left), then each method's curve: 4 budgets per octave from its minimum rate or the lowest
// budget, whichever is higher, to the highest, leaving out the budgets asked for.
// Throws std::invalid_argument for an unknown method.
std::vector<PlannedPoint> comparison_plan(const ComparisonRequest& request, const Shape& shape);

// One row of a comparison: a method at a budget, or a floor (method "bound-…").
struct ComparisonRow {
    std::string method;
    double budget = 0.0;
    bool on_curve = false;
    // Missing where the budget was not met; bits_above_iid_floor also where the error is 0.
    std::optional<double> bits_per_entry, relative_error, bits_above_iid_floor;
    std::optional<ImageQuality> quality;  // on pictures only (methods/image_quality.h)
    double seconds = 0.0;
    std::string note;  // what the method chose, or why the budget was not met
};

struct MeasuredPoint {
    ComparisonRow row;
    Approximation approximation;  // its reconstruction is empty when the budget was not met
};

// Runs one planned point on `a` with `options` at the point's budget. A method that throws
// gives an unmet row whose note is the message: one failing point never ends a comparison.
MeasuredPoint measure_point(const Tensor& a, const PlannedPoint& point, MethodOptions options);

// The floors' rows at each budget (methods/rate_distortion.h, in floor_table() order).
std::vector<ComparisonRow> floor_rows(const Tensor& a, const std::vector<double>& budgets);

// "1,2,4.5": budgets in bits per entry, each in (0, 64]. Throws std::invalid_argument naming the
// bad part, or when there is none.
std::vector<double> parse_budget_list(std::string_view text);

// A row's fields in report order: method, budget, point ("budget" or "curve"), bits_per_entry,
// relative_error, bits_above_iid_floor, psnr_db, ssim, seconds, then note when there is one.
// A missing value is std::monostate; the PSNR of an exact copy is the string "inf" (JSON has no
// infinity).
using RowValue = std::variant<std::monostate, double, std::string>;
void for_each_row_field(const ComparisonRow& row,
                        const std::function<void(std::string_view key, const RowValue& value)>& visit);

}  // namespace signcut
