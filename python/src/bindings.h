#pragma once
// The parts of the _signcut extension, each adding its functions to the module.

#include <pybind11/pybind11.h>

namespace signcut::python {

void bind_decomposition(pybind11::module_& module);  // decompose, Decomposition, load
void bind_methods(pybind11::module_& module);        // methods, approximate, compare
void bind_model(pybind11::module_& module);          // compress_model, expand_model
void bind_inputs(pybind11::module_& module);         // load_input

}  // namespace signcut::python
