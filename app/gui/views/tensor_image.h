#pragma once
// Turning tensors into pictures: photos as RGB, everything else (and residuals) as a
// heat map with a diverging colour map centred on zero.

#include <QColor>
#include <QImage>

#include <utility>

#include "tensor/matrix_views.h"
#include "tensor/tensor.h"

namespace signcut::gui {

// A height × width (gray) or height × width × 3 (RGB) tensor of values in [0, 1].
QImage photo_image(const Tensor& image);
// Height × width × 3 is drawn as a colour picture; .scd files do not say whether they came
// from an image, so their shape decides.
inline bool looks_like_photo(const Shape& shape) { return is_colour_picture_shape(shape); }
// A matrix as a heat map: −limit → blue, 0 → white, +limit → red.
QImage heat_map(const Tensor& matrix, float limit);
QColor diverging_colour(float t);  // t in [−1, 1]

// The 2-D view of any tensor: order 1 as a 1 × n strip, order 2 as it is, higher orders as
// the slice through the first two modes at flat index `slice` of the others.
Tensor matrix_slice(const Tensor& tensor, std::size_t slice);
std::size_t slice_count(const Shape& shape);

// The whole of a tensor as one matrix: rows run over the first modes, columns over the rest
// (the row-major data read as rows × columns, so flat index i is row i / columns, column
// i % columns). The split is the one with the squarest matrix: a (3, 3, 32, 64) conv kernel
// shows as 288 × 64 (kernel taps × output channels), a (64, 32, 3, 3) one as 64 × 288.
// Order 1 is a 1 × n strip, order 2 the matrix itself.
std::pair<std::size_t, std::size_t> unfolded_shape(const Shape& shape);
Tensor unfolding(const Tensor& tensor);
// A height × width × c tensor averaged over its channels.
Tensor channel_mean(const Tensor& image);
float max_abs(const Tensor& tensor);

}  // namespace signcut::gui
