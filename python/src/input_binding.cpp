// load_input(): the readers of the app and the CLI, by extension.
#include <pybind11/stl/filesystem.h>

#include "array_output.h"
#include "bindings.h"
#include "io/load_input.h"

namespace signcut::python {

void bind_inputs(py::module_& module) {
    module.def(
        "load_input",
        [](const std::filesystem::path& path) {
            LoadedInput input;
            {
                py::gil_scoped_release release;
                input = load_input(path);
            }
            // What the reader changed (an alpha channel dropped, ...), as the CLI's notes.
            const py::object warn = py::module_::import("warnings").attr("warn");
            for (const std::string& note : input.notes) warn(path.string() + ": " + note);
            return to_numpy(std::move(input.tensor));
        },
        py::arg("path"), R"(Reads an input as signcut-cli and the app do, by its extension.

Images (png, jpg, bmp, tiff, webp): gray → height × width, colour → height × width × 3 (RGB),
values in [0, 1]; an alpha channel is dropped (with a warning). .npy arrays of float16/32/64,
any order; .csv matrices. Returns a float32 array. OSError if the file cannot be read.)");
}

}  // namespace signcut::python
