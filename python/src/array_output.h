#pragma once
// Core results as numpy arrays, without copying them again.

#include <pybind11/numpy.h>

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace signcut::python {

namespace py = pybind11;

// A float32 array of the tensor's shape that takes over its buffer.
py::array_t<float> to_numpy(Tensor tensor);
// A one- or two-dimensional array that takes over the vector.
template <typename T>
py::array_t<T> to_numpy(std::vector<T> values, std::vector<py::ssize_t> shape);

extern template py::array_t<double> to_numpy(std::vector<double>, std::vector<py::ssize_t>);
extern template py::array_t<float> to_numpy(std::vector<float>, std::vector<py::ssize_t>);
extern template py::array_t<std::int8_t> to_numpy(std::vector<std::int8_t>, std::vector<py::ssize_t>);
extern template py::array_t<std::int64_t> to_numpy(std::vector<std::int64_t>, std::vector<py::ssize_t>);

}  // namespace signcut::python
