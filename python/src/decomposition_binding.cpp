// decompose(), the Decomposition it returns, and load().
#include <pybind11/functional.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "array_input.h"
#include "array_output.h"
#include "bindings.h"
#include "interruptible.h"
#include "matmul.h"
#include "io/scd_file.h"
#include "option_checks.h"
#include "scd/decomposer.h"
#include "scd/scd_product.h"
#include "scd/sign_bits.h"

namespace signcut::python {
namespace {

struct DecompositionResult {
    Decomposition decomposition;
    std::string stop_reason;  // stop_reason_name(), or "loaded" for a file read back
    // The cuts packed for `d @ x` (scd/scd_product.h), made by the first product and kept:
    // packing costs about as much as a product. Made with the GIL held, so by one thread.
    mutable std::shared_ptr<const ScdProduct> product;
};

// y = Â·x from the bits, x of shape (n,) or (n, b) with n the columns of the first-mode
// unfolding; a C-contiguous float32 x is read in place (ArrayInput), the GIL released.
py::array_t<float> matmul(const DecompositionResult& r, const py::object& x) {
    if (!r.product) r.product = std::make_shared<const ScdProduct>(r.decomposition, r.decomposition.width());
    return matmul_from_bits(x, [product = r.product](const Tensor& xs) { return scd_product(*product, xs); });
}

DecompositionResult decompose(const py::object& a, std::optional<std::int64_t> width,
                              std::optional<double> bits_per_entry, std::optional<double> target_error,
                              std::int64_t seed, const std::string& precision, const py::object& outliers,
                              std::optional<std::int64_t> threads, const std::string& memory,
                              const py::object& progress) {
    DecomposeOptions options;
    options.outliers = parse_outliers(outliers);
    if (width) options.stop.width = whole_number("width", *width);
    options.stop.bits_per_entry = bits_per_entry;
    options.stop.target_relative_error = target_error;
    options.seed = whole_number("seed", seed);
    options.precision = parse_precision(precision);
    if (threads && *threads < 1) throw std::invalid_argument("threads must be positive (None: all cores)");
    options.threads = threads ? int(*threads) : 0;
    const auto engine_memory = parse_enum<EngineMemory>(memory);
    if (!engine_memory) throw std::invalid_argument("memory takes " + enum_choices<EngineMemory>());
    options.memory = *engine_memory;
    if (!progress.is_none() && !PyCallable_Check(progress.ptr()))
        throw std::invalid_argument("progress must be a callable progress(width, relative_error)");
    ArrayInput input(a);

    std::mutex mutex;  // guards decomposer (set once) and the progress snapshot
    std::unique_ptr<Decomposer> decomposer;
    bool cancelled = false;
    std::size_t width_done = 0, width_reported = 0;
    double error_done = 1.0;
    const auto work = [&] {
        // Checks the options and copies the input into the residual: work too, so done here.
        auto made = std::make_unique<Decomposer>(std::move(input).working_copy(), options);
        {
            std::lock_guard lock(mutex);
            decomposer = std::move(made);
            if (cancelled) decomposer->cancel();
        }
        decomposer->run([&](const Decomposer& d) {
            std::lock_guard lock(mutex);
            width_done = d.decomposition().width();
            error_done = d.decomposition().relative_error(width_done);
        });
    };
    const auto cancel = [&] {
        std::lock_guard lock(mutex);
        cancelled = true;
        if (decomposer) decomposer->cancel();
    };
    const auto report = [&] {
        std::size_t w;
        double error;
        {
            std::lock_guard lock(mutex);
            if (width_done == width_reported) return;
            w = width_reported = width_done;
            error = error_done;
        }
        progress(w, error);
    };
    run_interruptible(work, cancel, progress.is_none() ? std::function<void()>() : std::function<void()>(report));
    return {decomposer->decomposition(), stop_reason_name(decomposer->stop_reason()), nullptr};
}

std::size_t checked_width(const Decomposition& d, std::optional<std::int64_t> width) {
    if (!width) return d.width();
    const std::uint64_t w = whole_number("width", *width);
    if (w > d.width())
        throw std::invalid_argument("width " + std::to_string(w) + " exceeds the decomposition's " +
                                    std::to_string(d.width()) + " cuts");
    return std::size_t(w);
}

py::tuple shape_tuple(const Shape& shape) {
    py::tuple out(shape.size());
    for (std::size_t i = 0; i < shape.size(); ++i) out[i] = shape[i];
    return out;
}

// Cut j's signs along `mode` as rows of ±1.
py::array_t<std::int8_t> signs(const Decomposition& d, std::int64_t mode) {
    if (mode < 0 || std::size_t(mode) >= d.order())
        throw std::invalid_argument("mode must lie in [0, " + std::to_string(d.order()) + "), not " +
                                    std::to_string(mode));
    const std::size_t n = d.shape()[std::size_t(mode)];
    std::vector<std::int8_t> out(d.width() * n);
    for (std::size_t j = 0; j < d.width(); ++j) {
        const std::span<const std::uint64_t> words = d.signs(j, std::size_t(mode));
        for (std::size_t i = 0; i < n; ++i) out[j * n + i] = is_negative(words, i) ? -1 : 1;
    }
    return to_numpy(std::move(out), {py::ssize_t(d.width()), py::ssize_t(n)});
}

}  // namespace

void bind_decomposition(py::module_& module) {
    py::class_<DecompositionResult>(module, "Decomposition",
                                    R"(A signed cut decomposition A ≈ Σ_j c_j · s_j ⊗ t_j (⊗ …), every s_j, t_j of ±1.

Made by signcut.decompose() or signcut.load(); saved with save() as a .scd file.)")
        .def_property_readonly(
            "width", [](const DecompositionResult& r) { return r.decomposition.width(); }, "Number of cuts w.")
        .def_property_readonly(
            "shape", [](const DecompositionResult& r) { return shape_tuple(r.decomposition.shape()); },
            "Shape of the decomposed array.")
        .def_property_readonly(
            "nbytes",
            [](const DecompositionResult& r) { return r.decomposition.stored_bytes(r.decomposition.width()); },
            "Exact size in bytes of the .scd file (headers and checksum included).")
        .def_property_readonly(
            "bits_per_entry",
            [](const DecompositionResult& r) { return r.decomposition.bits_per_entry(r.decomposition.width()); },
            "nbytes · 8 / (number of entries).")
        .def_property_readonly(
            "precision", [](const DecompositionResult& r) { return precision_name(r.decomposition.precision()); },
            "How the coefficients are stored: 'f32', 'f16' or 'bf16'.")
        .def_property_readonly(
            "stop_reason", [](const DecompositionResult& r) { return r.stop_reason; },
            "Why decompose() stopped: 'width', 'bits_per_entry', 'target_error', 'exhausted'; "
            "'loaded' after load().")
        .def_property_readonly(
            "relative_errors",
            [](const DecompositionResult& r) {
                const Decomposition& d = r.decomposition;
                std::vector<double> errors(d.width() + 1);
                for (std::size_t w = 0; w <= d.width(); ++w) errors[w] = d.relative_error(w);
                return to_numpy(std::move(errors), {py::ssize_t(d.width() + 1)});
            },
            "float64 array of length width + 1: ‖A − Â_w‖ / ‖A‖ after w cuts (Â_w: reconstruct(w)).")
        .def_property_readonly(
            "coefficients",
            [](const DecompositionResult& r) {
                const std::span<const float> c = r.decomposition.coeffs();
                return to_numpy(std::vector<float>(c.begin(), c.end()), {py::ssize_t(c.size())});
            },
            "float32 array of the width coefficients c_j (as stored).")
        .def_property_readonly(
            "outliers",
            [](const DecompositionResult& r) {
                const Decomposition& d = r.decomposition;
                const std::span<const std::uint64_t> indices = d.outlier_indices();
                const std::span<const float> values = d.outlier_values();
                const auto count = py::ssize_t(values.size());
                return py::make_tuple(to_numpy(std::vector<std::int64_t>(indices.begin(), indices.end()), {count}),
                                      to_numpy(std::vector<float>(values.begin(), values.end()), {count}));
            },
            "(indices, values): the entries kept apart from the cuts, stored exactly; indices (int64) are "
            "flat row-major positions in the array (numpy.unravel_index gives the multi-index), values "
            "(float32) are added to the cuts' sum in reconstruct().")
        .def(
            "signs", [](const DecompositionResult& r, std::int64_t mode) { return signs(r.decomposition, mode); },
            py::arg("mode"), "int8 array (width × n_mode) of ±1: row j holds cut j's signs along that mode.")
        .def(
            "reconstruct",
            [](const DecompositionResult& r, std::optional<std::int64_t> width) {
                const std::size_t w = checked_width(r.decomposition, width);
                Tensor out;
                {
                    py::gil_scoped_release release;
                    out = r.decomposition.reconstruct(w);
                }
                return to_numpy(std::move(out));
            },
            py::arg("width") = py::none(),
            "float32 array of the input's shape: Σ_{j<width} c_j · (sign tensor j) plus the entries kept "
            "apart by then; all cuts by default.")
        .def("__matmul__", &matmul, py::arg("x"),
             R"(d @ x: Â·x straight from the sign bits, without expanding Â (all cuts).

x: shape (n,) or (n, b), where Â is the rows × n matrix (order 3 and more: the first mode
against the others, in C order, as a.reshape(a.shape[0], -1)). Returns float32 of shape (rows,)
or (rows, b). A C-contiguous float32 x is read in place; other float arrays are converted once.
The GIL is released while multiplying. The first product packs the cuts (kept for the next).
ValueError when x's length is not n.)")
        .def(
            "save",
            [](const DecompositionResult& r, const std::filesystem::path& path) {
                py::gil_scoped_release release;
                write_scd(path, r.decomposition);
            },
            py::arg("path"), "Writes the decomposition as a .scd file (atomically: the whole file or none).")
        .def("__repr__", [](const DecompositionResult& r) {
            const Decomposition& d = r.decomposition;
            return "<signcut.Decomposition " + shape_to_string(d.shape()) + ", width " + std::to_string(d.width()) +
                   ", outliers apart " + std::to_string(d.outlier_count()) + ", relative error " +
                   std::to_string(d.relative_error(d.width())) + ">";
        });

    module.def("decompose", &decompose, py::arg("a"), py::kw_only(), py::arg("width") = py::none(),
               py::arg("bits_per_entry") = py::none(), py::arg("target_error") = py::none(), py::arg("seed") = 1,
               py::arg("precision") = "f32", py::arg("outliers") = "auto", py::arg("threads") = py::none(),
               py::arg("memory") = "auto", py::arg("progress") = py::none(),
               R"(Greedy signed cut decomposition of a numpy array of any order ≥ 1.

Stop rules (the first reached wins): width (cuts), bits_per_entry (of the .scd file, headers
included), target_error (‖A − Â‖/‖A‖, capped at the width whose storage equals an f32 copy).
Without one it stops at the width whose storage equals a bf16 copy, as signcut-cli decompose.
seed: the sign initialisation's seed; precision: coefficient storage 'f32', 'f16' or 'bf16';
outliers: entries kept apart from the cuts and stored exactly (their bits count in the budget):
'auto' (each entry that buys more error per bit than a cut), 0 (none: the plain algorithm) or a
count K (the K largest |a|, before cutting); see Decomposition.outliers. threads: worker threads (None: all cores). memory: 'fast' (a matrix or
photo's residual kept twice, row-major and transposed), 'low' (once: half the memory, slower) or
'auto' (fast if it fits under the memory limit); the cuts are the same either way. The same input,
seed and options give the same cuts as signcut-cli, bit for bit.

progress(width, relative_error), if given, is called at most every 100 ms from the calling
thread. The GIL is released while computing; Ctrl-C raises KeyboardInterrupt within 0.5 s.

A C-contiguous float32 array is read in place; other float arrays (float16, float64, other
layouts) are converted to float32 once. Either way the decomposition works on one float32
copy of its own, its residual, which it overwrites.

Raises ValueError for NaN/Inf entries, empty or non-float arrays and bad options.)");

    module.def(
        "load",
        [](const std::filesystem::path& path) {
            Decomposition d;
            {
                py::gil_scoped_release release;
                d = read_scd(path);
            }
            return DecompositionResult{std::move(d), "loaded", nullptr};
        },
        py::arg("path"), "Reads a .scd file written by Decomposition.save() or signcut-cli. OSError if unreadable.");
}

}  // namespace signcut::python
