// methods(), approximate() and compare(): the rival low-bit methods of core/methods/method.h.
#include <pybind11/stl.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "array_input.h"
#include "array_output.h"
#include "bindings.h"
#include "interruptible.h"
#include "matmul.h"
#include "methods/dbf_product.h"
#include "methods/comparison.h"
#include "methods/method.h"
#include "option_checks.h"

namespace signcut::python {
namespace {

struct ApproximationResult {
    std::optional<py::array_t<float>> reconstruction;  // none when the budget could not be met
    std::optional<double> bits_per_entry, relative_error;
    std::string note;
    std::shared_ptr<const DbfFactors> dbf_factors;  // dbf of a matrix: for `r @ x` from the bits
};

// r @ x from the stored form's bits (dbf of a matrix), read and released as Decomposition's `@`.
py::array_t<float> matmul(const ApproximationResult& r, const py::object& x) {
    if (!r.dbf_factors)
        throw std::invalid_argument(
            "only a dbf approximation of a matrix multiplies from its bits; use "
            "reconstruction @ x");
    return matmul_from_bits(x, [factors = r.dbf_factors](const Tensor& xs) { return dbf_product(*factors, xs); });
}

void check_method(const std::string& name) {
    std::string known;
    for (const std::string& m : method_names()) {
        if (m == name) return;
        known += (known.empty() ? "" : ",") + m;
    }
    throw std::invalid_argument("unknown method '" + name + "' (known: " + known + ")");
}

void check_budget(double bits) {
    if (!(bits > 0)) throw std::invalid_argument("bits per entry must be positive, not " + std::to_string(bits));
}

// NaN or ±∞ would make every method's error meaningless; the decomposer refuses them the same way.
void check_finite(const Tensor& a) {
    if (const std::size_t non_finite = count_non_finite(a))
        throw std::invalid_argument("the input has " + std::to_string(non_finite) +
                                    " NaN or infinite entries; replace them before approximating");
}

MethodOptions method_options(std::int64_t seed, std::int64_t group_size, std::int64_t dbf_iterations) {
    MethodOptions options;
    options.seed = whole_number("seed", seed);
    options.group_size = whole_number("group_size", group_size);
    options.dbf_iterations = int(whole_number("dbf_iterations", dbf_iterations));
    return options;
}

ApproximationResult approximate_array(const py::object& a, const std::string& method, double bits_per_entry,
                                      std::int64_t seed, std::int64_t group_size, std::int64_t dbf_iterations) {
    check_method(method);
    check_budget(bits_per_entry);
    MethodOptions options = method_options(seed, group_size, dbf_iterations);
    options.bits_per_entry = bits_per_entry;
    const ArrayInput input(a);
    check_finite(input.tensor());
    Approximation result;
    double error = 0.0;
    // The methods have no cancellation hook: Ctrl-C takes effect when this one returns.
    run_interruptible(
        [&] {
            result = approximate(method, input.tensor(), options);
            if (result.met_budget) error = relative_error(input.tensor(), result.reconstruction);
        },
        [] {});
    ApproximationResult out;
    out.note = result.note;
    if (!result.met_budget) return out;
    out.bits_per_entry = double(result.bits) / double(input.tensor().size());
    out.relative_error = error;
    out.reconstruction = to_numpy(std::move(result.reconstruction));
    out.dbf_factors = std::move(result.dbf_factors);
    return out;
}

py::dict row_dict(const ComparisonRow& row) {
    py::dict d;
    for_each_row_field(row, [&](std::string_view key, const RowValue& value) {
        py::str name(key.data(), key.size());
        if (const double* number = std::get_if<double>(&value)) d[name] = *number;
        else if (const std::string* text = std::get_if<std::string>(&value)) d[name] = *text;
        else d[name] = py::none();
    });
    return d;
}

py::list compare(const py::object& a, const std::vector<double>& bits, std::optional<std::vector<std::string>> methods,
                 std::int64_t seed, std::int64_t group_size, std::int64_t dbf_iterations, bool curves,
                 const py::object& outliers, std::int64_t tcq_state_bits) {
    if (bits.empty()) throw std::invalid_argument("bits needs at least one budget");
    for (double b : bits) check_budget(b);
    ComparisonRequest request;
    request.methods = methods ? *methods : method_names();
    for (const std::string& name : request.methods) check_method(name);
    request.budgets = bits;
    request.curves = curves;
    request.options = method_options(seed, group_size, dbf_iterations);
    request.options.outliers = parse_outliers(outliers);
    request.options.trellis_state_bits = int(whole_number("tcq_state_bits", tcq_state_bits));
    const ArrayInput input(a);
    const Tensor& tensor = input.tensor();
    check_finite(tensor);

    std::vector<ComparisonRow> rows;
    std::atomic<bool> cancelled{false};
    // Cancelled between points: a point itself cannot be interrupted.
    run_interruptible(
        [&] {
            for (const PlannedPoint& point : comparison_plan(request, tensor.shape())) {
                if (cancelled) return;
                rows.push_back(measure_point(tensor, point, request.options).row);
            }
            for (ComparisonRow& row : floor_rows(tensor, request.budgets)) rows.push_back(std::move(row));
        },
        [&] { cancelled = true; });

    py::list out;
    for (const ComparisonRow& row : rows) out.append(row_dict(row));
    return out;
}

}  // namespace

void bind_methods(py::module_& module) {
    py::class_<ApproximationResult>(module, "Approximation", "One method's approximation at one bit budget.")
        .def_readonly("reconstruction", &ApproximationResult::reconstruction,
                      "float32 array of the input's shape, or None when no stored form meets the budget.")
        .def_readonly("bits_per_entry", &ApproximationResult::bits_per_entry,
                      "Bits per entry the stored form needs, everything included (None if unmet).")
        .def_readonly("relative_error", &ApproximationResult::relative_error, "‖A − Â‖_F / ‖A‖_F (None if unmet).")
        .def_readonly("note", &ApproximationResult::note,
                      "What the method chose (e.g. widths), or why the budget could not be met.")
        .def("__matmul__", &matmul, py::arg("x"),
             R"(r @ x: Ŵ·x straight from the sign bits of a dbf approximation of a matrix,
a ⊙ S1·(m ⊙ S2·(b ⊙ x)), without expanding Ŵ. x: shape (cols,) or (cols, b); float32 out. A
C-contiguous float32 x is read in place; the GIL is released. ValueError for other methods
(use r.reconstruction @ x) and for a length that does not match.)")
        .def("__repr__", [](const ApproximationResult& r) {
            if (!r.reconstruction) return "<signcut.Approximation unmet: " + r.note + ">";
            return "<signcut.Approximation " + std::to_string(*r.bits_per_entry) + " bits per entry, relative error " +
                   std::to_string(*r.relative_error) + ">";
        });

    module.def("methods", &method_names, "Names of every method, in the order signcut-cli compare lists them.");

    module.def("approximate", &approximate_array, py::arg("a"), py::arg("method"), py::arg("bits_per_entry") = 2.0,
               py::arg("seed") = 1, py::kw_only(), py::arg("group_size") = 0, py::arg("dbf_iterations") = 0,
               R"(Approximates a numpy array with one method (see methods()) at a budget in bits per entry.

Budgets count everything stored (headers, scales, seeds, tables). group_size: rtn's entries per
group (0: one group per row); dbf_iterations: DBF's outer iterations (0: the authors' count).
A C-contiguous float32 array is read in place, others are converted to float32 once.
The GIL is released while computing; Ctrl-C takes effect when the method returns.
Raises ValueError for an unknown method, a budget ≤ 0, NaN/Inf, empty or non-float arrays.)");

    module.def("compare", &compare, py::arg("a"), py::arg("bits") = std::vector<double>{1, 2, 4, 8, 16},
               py::arg("methods") = py::none(), py::kw_only(), py::arg("seed") = 1, py::arg("group_size") = 0,
               py::arg("dbf_iterations") = 0, py::arg("curves") = false, py::arg("outliers") = "auto",
               py::arg("tcq_state_bits") = 12,
               R"(Every method (or those named) at every budget, then the Gaussian rate-distortion floors.

Returns the rows of signcut-cli compare --json as dicts, with the same keys in the same order:
method, budget, point, bits_per_entry, relative_error, bits_above_iid_floor (None where a budget
was not met or the error is 0), psnr_db, ssim (None off pictures; psnr_db "inf" for an exact
copy), seconds and note (when there is one). The options are the CLI's: curves (each method's
curve, rows with point "curve"), outliers ("auto", 0 or a count: entries kept apart by scd,
scd-refit, rtn and kashin), tcq_state_bits (tcq's L). Budgets asked come first, all methods at
each, then the curves. The GIL is released; Ctrl-C stops between points.)");
}

}  // namespace signcut::python
