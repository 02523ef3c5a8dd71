#include "tensor/matrix_views.h"

#include <algorithm>

namespace signcut {

bool is_channel_stack(const Shape& shape) { return shape.size() == 3 && shape[2] <= 4; }

bool is_picture_shape(const Shape& shape) {
    return shape.size() == 2 || (is_channel_stack(shape) && (shape[2] == 1 || shape[2] == 3));
}

bool is_colour_picture_shape(const Shape& shape) { return is_channel_stack(shape) && shape[2] == 3; }

std::vector<std::pair<std::size_t, std::size_t>> matrix_sides(const Shape& shape) {
    if (is_channel_stack(shape)) return std::vector<std::pair<std::size_t, std::size_t>>(shape[2], {shape[0], shape[1]});
    const std::size_t entries = element_count(shape);
    const std::size_t rows = shape.size() <= 1 ? 1 : shape[0];
    return {{rows, rows ? entries / rows : 0}};
}

std::vector<Tensor> as_matrices(const Tensor& a) {
    if (is_channel_stack(a.shape())) {
        const std::size_t rows = a.dim(0), cols = a.dim(1), channels = a.dim(2);
        std::vector<Tensor> out(channels, Tensor({rows, cols}));
        for (std::size_t i = 0; i < rows * cols; ++i)
            for (std::size_t c = 0; c < channels; ++c) out[c][i] = a[i * channels + c];
        return out;
    }
    const std::size_t rows = a.order() == 1 ? 1 : a.dim(0);
    return {Tensor({rows, a.size() / rows}, std::vector<float>(a.data().begin(), a.data().end()))};
}

Tensor from_matrices(const std::vector<Tensor>& matrices, const Shape& shape) {
    Tensor out(shape);
    if (matrices.size() == 1) {
        std::copy(matrices.front().data().begin(), matrices.front().data().end(), out.data().begin());
        return out;
    }
    const std::size_t pixels = matrices.front().size(), channels = matrices.size();
    for (std::size_t i = 0; i < pixels; ++i)
        for (std::size_t c = 0; c < channels; ++c) out[i * channels + c] = matrices[c][i];
    return out;
}

}  // namespace signcut
