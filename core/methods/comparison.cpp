#include "methods/comparison.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "methods/rate_distortion.h"

namespace signcut {
namespace {

std::optional<double> above_floor(double bits, double error) {
    return error > 0 ? std::optional(bits_above_iid_floor(bits, error)) : std::nullopt;
}

RowValue optional_value(const std::optional<double>& value) {
    return value ? RowValue(*value) : RowValue(std::monostate{});
}

}  // namespace

std::vector<PlannedPoint> comparison_plan(const ComparisonRequest& request, const Shape& shape) {
    for (const std::string& method : request.methods) find_method(method);  // throws for an unknown name
    std::vector<PlannedPoint> plan;
    for (double budget : request.budgets)
        for (const std::string& method : request.methods) plan.push_back({method, budget, false});
    if (!request.curves || request.budgets.empty()) return plan;
    const auto [lowest, highest] = std::minmax_element(request.budgets.begin(), request.budgets.end());
    for (const std::string& method : request.methods) {
        const double minimum = find_method(method).minimum_bits_per_entry(shape, request.options);
        for (double budget : curve_budgets(std::max(*lowest, minimum), *highest))
            if (std::find(request.budgets.begin(), request.budgets.end(), budget) == request.budgets.end())
                plan.push_back({method, budget, true});
    }
    return plan;
}

MeasuredPoint measure_point(const Tensor& a, const PlannedPoint& point, MethodOptions options) {
    MeasuredPoint out;
    ComparisonRow& row = out.row;
    row.method = point.method;
    row.budget = point.budget;
    row.on_curve = point.on_curve;
    const auto start = std::chrono::steady_clock::now();
    try {
        options.bits_per_entry = point.budget;
        out.approximation = approximate(point.method, a, options);
    } catch (const std::exception& error) {
        out.approximation = unmet(error.what());
    }
    const Approximation& result = out.approximation;
    row.note = result.note;
    if (result.met_budget) {
        const double bits = double(result.bits) / double(a.size());
        const double error = relative_error(a, result.reconstruction);
        row.bits_per_entry = bits;
        row.relative_error = error;
        row.bits_above_iid_floor = above_floor(bits, error);
        row.quality = image_quality(a, result.reconstruction);
    }
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

std::vector<ComparisonRow> floor_rows(const Tensor& a, const std::vector<double>& budgets) {
    const WaterFillingFloor floor(a);
    std::vector<ComparisonRow> rows;
    for (double budget : budgets) {
        const std::array<double, 3> errors = floor_errors(floor, budget);
        for (std::size_t f = 0; f < errors.size(); ++f) {
            ComparisonRow row;
            row.method = floor_table()[f].name;
            row.budget = budget;
            row.bits_per_entry = budget;
            row.relative_error = errors[f];
            row.bits_above_iid_floor = above_floor(budget, errors[f]);
            row.note = "Gaussian rate-distortion bound, not a method";
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

std::vector<double> parse_budget_list(std::string_view text) {
    std::vector<double> budgets;
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        std::string part(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        if (part.empty()) continue;
        char* end = nullptr;
        const double b = std::strtod(part.c_str(), &end);
        if (end != part.c_str() + part.size() || !(b > 0 && b <= 64))
            throw std::invalid_argument("budgets are numbers of bits per entry in (0, 64], not '" + part + "'");
        budgets.push_back(b);
    }
    if (budgets.empty()) throw std::invalid_argument("at least one budget is needed");
    return budgets;
}

void for_each_row_field(const ComparisonRow& row,
                        const std::function<void(std::string_view key, const RowValue& value)>& visit) {
    const std::optional<ImageQuality>& quality = row.quality;
    visit("method", row.method);
    visit("budget", row.budget);
    visit("point", std::string(row.on_curve ? "curve" : "budget"));
    visit("bits_per_entry", optional_value(row.bits_per_entry));
    visit("relative_error", optional_value(row.relative_error));
    visit("bits_above_iid_floor", optional_value(row.bits_above_iid_floor));
    visit("psnr_db", !quality                       ? RowValue(std::monostate{})
                     : std::isinf(quality->psnr_db) ? RowValue(std::string("inf"))
                                                    : RowValue(quality->psnr_db));
    visit("ssim", optional_value(quality ? quality->ssim : std::nullopt));
    visit("seconds", row.seconds);
    if (!row.note.empty()) visit("note", row.note);
}

}  // namespace signcut
