#include "model/global_allocation.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "methods/bit_allocation.h"
#include "model/compression_plan.h"
#include "model/compression_schedule.h"
#include "model/stored_tensor.h"
#include "scd/decomposer.h"
#include "tensor/memory_guard.h"

namespace signcut {
namespace {

double squared_relative(double squared_error, double squared_norm) {
    return squared_norm > 0 ? squared_error / squared_norm : 0.0;
}

// Signed cuts at every budget from one decomposition to the largest: at budget b, the widest
// prefix whose stored bytes fit.
std::vector<CurvePoint> signed_cuts_curve(const Tensor& values, const MethodOptions& options,
                                          const std::vector<double>& budgets) {
    MethodOptions largest = options;
    largest.bits_per_entry = budgets.back();
    Decomposer decomposer(values, decompose_options(largest));
    decomposer.run();
    const Decomposition& d = decomposer.decomposition();
    std::vector<CurvePoint> points;
    std::size_t w = 0;
    for (double b : budgets) {
        const double budget_bits = b * double(values.size());
        while (w < d.width() && 8.0 * double(d.stored_bytes(w + 1)) <= budget_bits) ++w;
        if (w == 0) continue;
        points.push_back(
            {b, "scd", 8 * d.stored_bytes(w), squared_relative(d.residual_squared_norms()[w], d.input_squared_norm())});
    }
    return points;
}

}  // namespace

std::vector<double> curve_budgets_for(double bits_per_entry) {
    return curve_budgets(bits_per_entry / 4, std::min(4 * bits_per_entry, 16.0), 2);
}

std::vector<CurvePoint> error_curve(const Tensor& values, const std::vector<std::string>& methods,
                                    const MethodOptions& options, const std::vector<double>& budgets) {
    std::vector<CurvePoint> best(budgets.size());
    const double squared_norm = values.squared_norm();
    for (const std::string& method : methods) {
        if (method == "bf16") continue;  // the point below
        std::vector<CurvePoint> points;
        if (method == "scd") {
            points = signed_cuts_curve(values, options, budgets);
        } else {
            const Shape shape = stored_shape(method, values.shape());
            const Tensor input = shape == values.shape() ? values : Tensor(values).reshaped(shape);
            for (double b : budgets) {
                if (methods.size() > 1 && !worth_trying(method, shape, b)) continue;
                MethodOptions at = options;
                at.bits_per_entry = b;
                const Approximation a = approximate(method, input, at);
                if (!a.met_budget || a.payload.empty()) continue;
                const double error = relative_error(input, a.reconstruction);
                points.push_back({b, method, a.bits, error * error});
            }
        }
        for (const CurvePoint& p : points) {
            CurvePoint& slot = best[std::size_t(std::find(budgets.begin(), budgets.end(), p.budget) - budgets.begin())];
            if (slot.method.empty() || p.squared_error < slot.squared_error) slot = p;
        }
    }
    MethodOptions bf16 = options;
    bf16.bits_per_entry = 16;
    const Approximation copy = approximate("bf16", values, bf16);
    CurvePoint bf16_point{16.0, "bf16", copy.bits, 0.0};
    double squared_error = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        squared_error += double(values[i] - copy.reconstruction[i]) * double(values[i] - copy.reconstruction[i]);
    bf16_point.squared_error = squared_relative(squared_error, squared_norm);
    best.push_back(bf16_point);
    // Points in order of growing bits (the allocation steps between them).
    std::vector<CurvePoint> curve;
    for (const CurvePoint& p : best)
        if (!p.method.empty() && (curve.empty() || p.bits > curve.back().bits)) curve.push_back(p);
    return curve;
}

std::vector<CurvePoint> allocate_points(const std::vector<std::vector<CurvePoint>>& curves,
                                        const std::vector<std::uint64_t>& entries, double total_bits,
                                        ErrorWeighting weighting) {
    double mean_entries = 0;
    for (std::uint64_t n : entries) mean_entries += double(n) / double(entries.size());
    std::vector<UnitCosts> units(curves.size());
    for (std::size_t i = 0; i < curves.size(); ++i) {
        const double weight = weighting == ErrorWeighting::entries ? double(entries[i]) / mean_entries : 1.0;
        for (const CurvePoint& p : curves[i]) {
            units[i].squared_error.push_back(weight * p.squared_error);
            units[i].bits.push_back(p.bits);
        }
    }
    const WidthAllocation allocation = allocate_widths(units, total_bits);
    if (allocation.widths.empty()) {
        std::uint64_t lowest = 0, all_entries = 0;
        for (std::size_t i = 0; i < curves.size(); ++i) lowest += curves[i].front().bits, all_entries += entries[i];
        throw std::invalid_argument("a global budget needs at least " +
                                    std::to_string(double(lowest) / double(all_entries)) +
                                    " bits per entry here (every tensor at its smallest stored form)");
    }
    std::vector<CurvePoint> chosen;
    for (std::size_t i = 0; i < curves.size(); ++i) chosen.push_back(curves[i][std::size_t(allocation.widths[i])]);
    return chosen;
}

void allocate_globally(const ShardedCheckpoint& checkpoint, std::vector<TensorReport>& reports,
                       const ModelCompressionOptions& options) {
    const std::vector<std::string> methods = methods_to_try(options.method);
    const std::vector<double> budgets = curve_budgets_for(options.bits_per_entry);
    const MethodOptions at_largest = method_options(options, budgets.back());
    std::vector<std::size_t> stored;
    for (std::size_t i = 0; i < reports.size(); ++i)
        if (reports[i].decomposed) stored.push_back(i);
    std::vector<std::vector<CurvePoint>> curves(reports.size());
    run_within_memory(
        stored, [&](std::size_t i) { return store_memory_bytes(reports[i].decomposed_shape, methods, at_largest); },
        std::min(options.memory_limit_bytes, memory_limit_bytes()),
        [&](std::size_t i) {
            const Tensor values = checkpoint.to_tensor(checkpoint.tensors()[i]).reshaped(reports[i].decomposed_shape);
            curves[i] = error_curve(values, methods, method_options(options, options.bits_per_entry), budgets);
            if (options.cancel && options.cancel->load()) throw CompressionCancelled();
        });
    std::vector<std::vector<CurvePoint>> stored_curves;
    std::vector<std::uint64_t> entries;
    double total_bits = 0;
    for (std::size_t i : stored) {
        stored_curves.push_back(curves[i]);
        entries.push_back(element_count(reports[i].shape));
        total_bits += options.bits_per_entry * double(entries.back());
    }
    if (stored.empty()) return;
    std::vector<CurvePoint> chosen = allocate_points(stored_curves, entries, total_bits, options.weighting);
    // The points are coarse, so the greedy may leave a few per cent of the budget: it goes, one
    // tensor at a time, to the tensors whose next step on their curve gains most per bit, each
    // run once more at its budget plus what is left (never past that next point).
    double spent = 0;
    for (const CurvePoint& p : chosen) spent += double(p.bits);
    std::vector<std::size_t> order(stored.size());
    std::vector<double> gain(stored.size(), 0.0);
    for (std::size_t j = 0; j < stored.size(); ++j) {
        order[j] = j;
        for (const CurvePoint& next : stored_curves[j])
            if (next.bits > chosen[j].bits) {
                gain[j] = (chosen[j].squared_error - next.squared_error) / double(next.bits - chosen[j].bits);
                break;
            }
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return gain[a] > gain[b]; });
    for (std::size_t j : order) {
        if (total_bits - spent <= 0.002 * total_bits || !(gain[j] > 0) || chosen[j].method == "bf16") continue;
        const double budget = chosen[j].budget + (total_bits - spent) / double(entries[j]);
        double next_budget = 16.0;
        for (const CurvePoint& next : stored_curves[j])
            if (next.bits > chosen[j].bits) {
                next_budget = next.budget;
                break;
            }
        const Tensor values =
            checkpoint.to_tensor(checkpoint.tensors()[stored[j]]).reshaped(reports[stored[j]].decomposed_shape);
        const std::vector<CurvePoint> tried = error_curve(
            values, methods, method_options(options, options.bits_per_entry), {std::min(budget, next_budget)});
        if (tried.size() < 2 || tried.front().method == "bf16") continue;  // the budget met by no method
        const CurvePoint& p = tried.front();
        if (p.bits > chosen[j].bits && spent + double(p.bits - chosen[j].bits) <= total_bits &&
            p.squared_error < chosen[j].squared_error) {
            spent += double(p.bits - chosen[j].bits);
            chosen[j] = p;
        }
    }
    for (std::size_t j = 0; j < stored.size(); ++j) {
        TensorReport& r = reports[stored[j]];
        r.budget = chosen[j].budget;
        // The bf16 point is stored as a bf16 copy, whatever the method asked.
        if (chosen[j].method == "bf16") r.method = "bf16";
    }
}

}  // namespace signcut
