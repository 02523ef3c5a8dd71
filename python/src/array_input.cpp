#include "array_input.h"

#include <stdexcept>
#include <string>

namespace signcut::python {

ArrayInput::ArrayInput(py::handle object) {
    const py::module_ numpy = py::module_::import("numpy");
    array_ = numpy.attr("asarray")(object);
    const py::dtype dtype = array_.dtype();
    if (dtype.kind() != 'f' || (dtype.itemsize() != 2 && dtype.itemsize() != 4 && dtype.itemsize() != 8))
        throw std::invalid_argument("unsupported dtype '" +
                                    py::str(static_cast<py::handle>(dtype)).cast<std::string>() +
                                    "' (signcut reads float16, float32 and float64 arrays)");
    const Shape shape(array_.shape(), array_.shape() + array_.ndim());
    const std::size_t count = element_count(shape);  // throws for 0-d and empty arrays

    const bool in_place = dtype.equal(py::dtype::of<float>()) && (array_.flags() & py::array::c_style) &&
                          array_.attr("flags").attr("aligned").cast<bool>();
    if (in_place) {
        tensor_ = Tensor::view(shape, std::span(static_cast<const float*>(array_.data()), count));
        return;
    }
    tensor_ = Tensor(shape);
    // numpy writes the converted values straight into the tensor's buffer: one pass, no temporary.
    const py::array_t<float> target(std::vector<py::ssize_t>(shape.begin(), shape.end()), tensor_.data().data(),
                                    py::none());
    numpy.attr("copyto")(target, array_, py::arg("casting") = "same_kind");
    array_ = py::array();
}

Tensor ArrayInput::working_copy() && {
    if (tensor_.is_view()) return Tensor(tensor_);
    return std::move(tensor_);
}

}  // namespace signcut::python
