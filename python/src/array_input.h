#pragma once
// numpy arrays as the core reads them: in place when they can be, converted once otherwise.

#include <pybind11/numpy.h>

#include "tensor/tensor.h"

namespace signcut::python {

namespace py = pybind11;

// An input array (or anything numpy.asarray takes) as a core Tensor. A C-contiguous, aligned,
// native-endian float32 array is not copied: the tensor is a view of its memory
// (Tensor::view), which this object keeps alive. Any other float array (float16, float64,
// Fortran order, strided, byte-swapped) is converted once, by numpy, into an f32 tensor
// this object owns. Throws std::invalid_argument (ValueError) for other dtypes, 0-d and empty
// arrays. Needs the GIL to be built; tensor() may then be read without it.
class ArrayInput {
public:
    explicit ArrayInput(py::handle object);
    ArrayInput(const ArrayInput&) = delete;
    ArrayInput& operator=(const ArrayInput&) = delete;

    const Tensor& tensor() const { return tensor_; }
    // The tensor a Decomposer takes as its residual, which it overwrites: a copy of a view
    // (the one copy a decomposition needs), or the converted tensor itself, moved.
    Tensor working_copy() &&;

private:
    py::array array_;  // the viewed memory's owner
    Tensor tensor_;
};

}  // namespace signcut::python
