#pragma once
// Turning tensors into pictures: photos as RGB, everything else (and residuals) as a
// heat map with a diverging colour map centred on zero.

#include <QColor>
#include <QImage>

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
std::size_t slice_count(const Tensor& tensor);
// A height × width × c tensor averaged over its channels.
Tensor channel_mean(const Tensor& image);
float max_abs(const Tensor& tensor);

}  // namespace signcut::gui
