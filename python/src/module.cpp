// The _signcut extension: its parts (bindings.h) and how core exceptions reach Python.
// std::invalid_argument becomes ValueError (pybind11's own rule); FileError, which every
// reader and writer throws, becomes OSError.
#include <pybind11/pybind11.h>

#include "array_input.h"
#include "bindings.h"
#include "io/file_access.h"

namespace py = pybind11;

PYBIND11_MODULE(_signcut, module) {
    module.doc() = "signcut's core (signed cut decompositions and rival low-bit methods); use the signcut package.";
    py::register_exception_translator([](std::exception_ptr error) {
        try {
            if (error) std::rethrow_exception(error);
        } catch (const signcut::FileError& e) {
            PyErr_SetString(PyExc_OSError, e.what());
        }
    });
    signcut::python::bind_decomposition(module);
    signcut::python::bind_methods(module);
    signcut::python::bind_model(module);
    signcut::python::bind_inputs(module);
    // For the tests: where the core reads an input array, and whether in place (no copy).
    module.def("_input_address", [](py::handle a) {
        const signcut::python::ArrayInput input(a);
        return py::make_tuple(reinterpret_cast<std::uintptr_t>(input.tensor().data().data()), input.tensor().is_view());
    });
}
