#include "array_output.h"

namespace signcut::python {
namespace {

// The array's base object: a capsule that deletes the moved-in owner with the array.
template <typename Owner>
py::capsule owning_capsule(Owner* owner) {
    return py::capsule(owner, [](void* p) { delete static_cast<Owner*>(p); });
}

}  // namespace

py::array_t<float> to_numpy(Tensor tensor) {
    auto* owner = new Tensor(std::move(tensor));
    const py::capsule base = owning_capsule(owner);
    return py::array_t<float>(std::vector<py::ssize_t>(owner->shape().begin(), owner->shape().end()),
                              owner->data().data(), base);
}

template <typename T>
py::array_t<T> to_numpy(std::vector<T> values, std::vector<py::ssize_t> shape) {
    auto* owner = new std::vector<T>(std::move(values));
    const py::capsule base = owning_capsule(owner);
    return py::array_t<T>(std::move(shape), owner->data(), base);
}

template py::array_t<double> to_numpy(std::vector<double>, std::vector<py::ssize_t>);
template py::array_t<float> to_numpy(std::vector<float>, std::vector<py::ssize_t>);
template py::array_t<std::int8_t> to_numpy(std::vector<std::int8_t>, std::vector<py::ssize_t>);
template py::array_t<std::int64_t> to_numpy(std::vector<std::int64_t>, std::vector<py::ssize_t>);

}  // namespace signcut::python
