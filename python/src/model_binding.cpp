// compress_model() and expand_model(): whole .safetensors checkpoints to .scdz and back.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <mutex>
#include <optional>
#include <string>

#include "bindings.h"
#include "interruptible.h"
#include "model/model_compression.h"

namespace signcut::python {
namespace {

py::dict report_row(const TensorReport& r) {
    py::dict row;
    row["name"] = r.name;
    row["dtype"] = r.dtype;
    row["shape"] = py::tuple(py::cast(r.shape));
    row["decomposed"] = r.decomposed;
    row["kept_because"] = r.kept_because;
    row["decomposed_shape"] = py::tuple(py::cast(r.decomposed_shape));
    row["width"] = r.width;
    row["bits_per_entry"] = r.bits_per_entry;
    row["relative_error"] = r.relative_error;
    row["seconds"] = r.seconds;
    row["stored_bytes"] = r.stored_bytes;
    row["resumed"] = r.resumed;
    return row;
}

py::list compress(const std::filesystem::path& input, const std::filesystem::path& output,
                  std::optional<double> bits_per_entry, std::optional<double> fraction_of_bf16,
                  const std::string& method, std::optional<std::string> include, std::optional<std::string> exclude,
                  const py::object& progress) {
    if (method != "scd") throw std::invalid_argument("compress_model supports method 'scd' only, not '" + method + "'");
    if (bits_per_entry.has_value() == fraction_of_bf16.has_value())
        throw std::invalid_argument("give exactly one of bits_per_entry and fraction_of_bf16");
    if (!progress.is_none() && !PyCallable_Check(progress.ptr()))
        throw std::invalid_argument("progress must be a callable progress(tensors_done, tensors_total)");
    std::atomic<bool> cancelled{false};
    ModelCompressionOptions options;
    options.bits_per_entry = bits_per_entry ? *bits_per_entry : 16.0 * *fraction_of_bf16;
    options.include = include.value_or("");
    options.exclude = exclude.value_or("");
    options.cancel = &cancelled;

    std::mutex mutex;  // the progress snapshot, written by core's worker threads
    ModelProgress latest;
    std::size_t reported = std::size_t(-1);
    std::vector<TensorReport> reports;
    run_interruptible(
        [&] {
            reports = compress_model(input, output, options, [&](const ModelProgress& p) {
                std::lock_guard lock(mutex);
                latest = p;
            });
        },
        [&] { cancelled = true; },
        [&] {
            if (progress.is_none()) return;
            ModelProgress p;
            {
                std::lock_guard lock(mutex);
                if (latest.tensors_done == reported) return;
                p = latest;
                reported = p.tensors_done;
            }
            progress(p.tensors_done, p.tensors_total);
        });
    py::list rows;
    for (const TensorReport& r : reports) rows.append(report_row(r));
    return rows;
}

void expand(const std::filesystem::path& input, const std::filesystem::path& output, std::optional<std::string> dtype) {
    std::string name = dtype.value_or("");
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    if (!name.empty() && name != "BF16" && name != "F16" && name != "F32")
        throw std::invalid_argument("dtype takes bf16, f16 or f32, not '" + *dtype + "'");
    // Expanding has no cancellation hook: Ctrl-C takes effect when it returns (the output
    // is written atomically, so it is then either complete or absent).
    run_interruptible([&] { expand_model(input, output, name); }, [] {});
}

}  // namespace

void bind_model(py::module_& module) {
    module.def("compress_model", &compress, py::arg("src"), py::arg("out"), py::kw_only(),
               py::arg("bits_per_entry") = py::none(), py::arg("fraction_of_bf16") = py::none(),
               py::arg("method") = "scd", py::arg("include") = py::none(), py::arg("exclude") = py::none(),
               py::arg("progress") = py::none(),
               R"(Compresses a .safetensors checkpoint into one .scdz file, as signcut-cli compress-model.

Every 2-D float tensor (higher orders as n_0 × the rest) is decomposed into signed cuts at the
budget: exactly one of bits_per_entry or fraction_of_bf16 (0.5 = 8 bits per entry). include /
exclude: regular expressions on tensor names. method: 'scd' (the only one). Returns one dict
per tensor: name, dtype, shape, decomposed, kept_because, decomposed_shape, width,
bits_per_entry, relative_error, seconds, stored_bytes, resumed.

progress(tensors_done, tensors_total) is called at most every 100 ms. The GIL is released;
Ctrl-C raises KeyboardInterrupt within 0.5 s and out is not written (finished tensors stay in
out + '.parts/', and the same call resumes from them). OSError for unreadable files,
ValueError for bad options.)");

    module.def("expand_model", &expand, py::arg("src"), py::arg("out"), py::arg("dtype") = py::none(),
               R"(Writes the reconstructed checkpoint of a .scdz file as .safetensors (same names and metadata).

dtype: 'bf16', 'f16' or 'f32' for the decomposed tensors (None: their original dtype); kept
tensors are copied byte for byte. The output is written atomically.)");
}

}  // namespace signcut::python
