// compress_model() and expand_model(): whole .safetensors checkpoints to .scdz and back.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>

#include "bindings.h"
#include "interruptible.h"
#include "model/model_compression.h"
#include "model/model_expansion.h"
#include "model/model_report.h"
#include "model/shard_plan.h"

namespace signcut::python {
namespace {

py::dict report_row(const TensorReport& r) {
    py::dict row;
    for_each_report_field(r, [&](const char* key, const auto& value, bool) {
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, Shape>) row[key] = py::tuple(py::cast(value));
        else row[key] = value;
    });
    return row;
}

py::list compress(const std::filesystem::path& input, const std::filesystem::path& output,
                  std::optional<double> bits_per_entry, std::optional<double> fraction_of_bf16,
                  const std::string& method, const std::string& allocate, const std::string& weighting,
                  std::optional<std::string> include, std::optional<std::string> exclude,
                  std::optional<std::string> shard, const py::object& progress) {
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
    options.method = method;  // checked by compress_model, with the CLI's message
    const auto allocation = parse_enum<BudgetAllocation>(allocate);
    if (!allocation) throw std::invalid_argument("allocate takes " + enum_choices<BudgetAllocation>());
    options.allocate = *allocation;
    const auto weights = parse_enum<ErrorWeighting>(weighting);
    if (!weights) throw std::invalid_argument("weighting takes " + enum_choices<ErrorWeighting>());
    options.weighting = *weights;
    if (shard) options.shard = parse_shard_spec(*shard);

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
    const std::string name = expansion_dtype(dtype.value_or(""));
    // Expanding has no cancellation hook: Ctrl-C takes effect when it returns (the output
    // is written atomically, so it is then either complete or absent).
    // As the CLI's --out: a .safetensors file, or else a Hugging Face folder of 5 GB shards.
    if (output.extension() == ".safetensors") run_interruptible([&] { expand_model(input, output, name); }, [] {});
    else run_interruptible([&] { expand_model_to_folder(input, output, name); }, [] {});
}

}  // namespace

void bind_model(py::module_& module) {
    module.def("compress_model", &compress, py::arg("src"), py::arg("out"), py::kw_only(),
               py::arg("bits_per_entry") = py::none(), py::arg("fraction_of_bf16") = py::none(),
               py::arg("method") = "scd", py::arg("allocate") = "uniform", py::arg("weighting") = "tensors",
               py::arg("include") = py::none(), py::arg("exclude") = py::none(), py::arg("shard") = py::none(),
               py::arg("progress") = py::none(),
               R"(Compresses a checkpoint into one .scdz file, as signcut-cli compress-model.

src: a .safetensors file, a Hugging Face *.safetensors.index.json with its shards, or a folder
holding either.

Every 2-D float tensor (higher orders with their axes of size 1 dropped, as n_0 × the rest) is
stored by `method` at the budget: exactly one of bits_per_entry or fraction_of_bf16 (0.5 = 8 bits
per entry). method: any method with a stored form (scd, dbf, kashin, rtn, rotq, tcq, bf16, f16,
svd) or 'best' (every one of them per tensor, the lowest error kept, the runner-up reported).
allocate: 'uniform' (the budget for every tensor) or 'global' (the budget of the whole
checkpoint, shared out to minimise the sum of the tensors' squared relative errors, each counted
once, or by entries with weighting='entries'; data-free: no activation statistics).
include / exclude: regular expressions on tensor names. shard: 'K/N' computes only this process's
share into out + '.parts/' and writes no out (a later call without shard assembles it), as
--shard K/N. Returns one dict per tensor: name, dtype, shape, kind, decomposed, kept_because,
bits_per_entry, stored_bytes, method, budget, decomposed_shape, width, relative_error,
entries_apart, runner_up, runner_up_error, fallback_because, seconds, shard, resumed (the rows of
signcut-cli's --report FILE.json).

progress(tensors_done, tensors_total) is called at most every 100 ms. The GIL is released;
Ctrl-C raises KeyboardInterrupt within 0.5 s and out is not written (finished tensors stay in
out + '.parts/', and the same call resumes from them). OSError for unreadable files,
ValueError for bad options.)");

    module.def("expand_model", &expand, py::arg("src"), py::arg("out"), py::arg("dtype") = py::none(),
               R"(Writes the reconstructed checkpoint of a .scdz file as .safetensors (same names and metadata):
one file when out ends in .safetensors, else a folder of shards of at most 5 GB with
model.safetensors.index.json.

dtype: 'bf16', 'f16' or 'f32' for the decomposed tensors (None: their original dtype); kept
tensors are copied byte for byte. The output is written atomically.)");
}

}  // namespace signcut::python
