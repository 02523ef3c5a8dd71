#pragma once
// The matrices a tensor is seen as, by the methods, the floors, the per-channel decomposition
// and the views: a matrix as it is, a picture's layout (height × width × c, c ≤ 4) one matrix
// per channel, a vector as 1 × n, higher orders unfolded as n_0 × (the rest). And the shape
// rules that say which tensors are pictures, in one place.

#include <cstddef>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace signcut {

// Height × width × c with c ≤ 4: a picture's layout, cut into one matrix per channel.
bool is_channel_stack(const Shape& shape);
// A picture: a height × width matrix (gray) or height × width × 1 (gray) or × 3 (RGB).
bool is_picture_shape(const Shape& shape);
// A colour picture: height × width × 3.
bool is_colour_picture_shape(const Shape& shape);

std::vector<Tensor> as_matrices(const Tensor& a);
// The inverse of as_matrices for a tensor of `shape`.
Tensor from_matrices(const std::vector<Tensor>& matrices, const Shape& shape);
// The (rows, cols) of each matrix of as_matrices for a tensor of this shape.
std::vector<std::pair<std::size_t, std::size_t>> matrix_sides(const Shape& shape);

}  // namespace signcut
