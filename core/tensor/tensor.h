#pragma once
// A dense real tensor: a shape and its f32 entries in C (row-major) order,
// the last index varying fastest.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "tensor/float_buffer.h"

namespace signcut {

using Shape = std::vector<std::size_t>;

// Product of the dimensions; throws std::invalid_argument on a zero dimension,
// an empty shape or when the count would exceed `max_elements`.
std::size_t element_count(const Shape& shape, std::size_t max_elements = std::size_t(1) << 40);

// "451x300x3"
std::string shape_to_string(const Shape& shape);

class Tensor {
public:
    Tensor() = default;
    // Zero-filled tensor of the given shape.
    explicit Tensor(Shape shape);
    Tensor(Shape shape, FloatBuffer data);
    Tensor(Shape shape, const std::vector<float>& data);
    // A read-only view of floats owned elsewhere (a numpy array), which must outlive it and
    // its moves: functions taking `const Tensor&` read that memory in place. Hand it on only
    // as `const Tensor&` (writing through it would change the owner's data). A copy of a view
    // owns its floats: a Decomposer's residual, which the decomposition overwrites, is one.
    static Tensor view(Shape shape, std::span<const float> data);
    bool is_view() const { return !data_.empty() && data_.data() != owned_.data(); }

    // Copies own their floats; moves keep them where they are (and a view stays a view).
    Tensor(const Tensor& other);
    Tensor(Tensor&& other) noexcept;
    Tensor& operator=(const Tensor& other);
    Tensor& operator=(Tensor&& other) noexcept;

    const Shape& shape() const { return shape_; }
    std::size_t order() const { return shape_.size(); }
    std::size_t dim(std::size_t mode) const { return shape_.at(mode); }
    std::size_t size() const { return data_.size(); }
    bool empty() const { return data_.empty(); }

    std::span<float> data() { return data_; }
    std::span<const float> data() const { return data_; }
    float& operator[](std::size_t i) { return data_[i]; }
    float operator[](std::size_t i) const { return data_[i]; }

    // Squared Frobenius norm, accumulated in double.
    double squared_norm() const;

    // The same values under another shape with as many entries (throws std::invalid_argument).
    Tensor reshaped(Shape shape) &&;

    // The tensor with its modes reordered: result mode m is this tensor's mode `order[m]`.
    Tensor permuted(std::span<const std::size_t> order) const;

private:
    Shape shape_;
    FloatBuffer owned_;
    std::span<float> data_;  // owned_, or the memory of a view
};

// Replaces NaN and ±∞ entries by `value`; returns how many there were.
std::size_t replace_non_finite(Tensor& tensor, float value);
std::size_t count_non_finite(const Tensor& tensor);

// Frobenius norm of a - b divided by that of a (0 when a is zero and a == b).
double relative_error(const Tensor& a, const Tensor& b);

}  // namespace signcut
