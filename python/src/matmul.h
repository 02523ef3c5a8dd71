#pragma once
// `@` from the bits, shared by Decomposition and Approximation: x read through ArrayInput (a
// C-contiguous float32 array in place), the product run with the GIL released, y handed over.

#include <utility>

#include "array_input.h"
#include "array_output.h"

namespace signcut::python {

// product(const Tensor& x) -> Tensor, called without the GIL (it must not touch Python objects).
template <typename Product>
py::array_t<float> matmul_from_bits(const py::object& x, const Product& product) {
    ArrayInput input(x);
    Tensor y;
    {
        py::gil_scoped_release release;
        y = product(input.tensor());
    }
    return to_numpy(std::move(y));
}

}  // namespace signcut::python
