#include "views/tensor_image.h"

#include <algorithm>
#include <cmath>

namespace signcut::gui {

QImage photo_image(const Tensor& image) {
    const int rows = int(image.dim(0)), cols = int(image.dim(1));
    const std::size_t channels = image.order() == 3 ? image.dim(2) : 1;
    QImage out(cols, rows, QImage::Format_RGB32);
    const auto byte = [](float v) { return int(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
    for (int r = 0; r < rows; ++r) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(r));
        for (int c = 0; c < cols; ++c) {
            const std::size_t i = (std::size_t(r) * std::size_t(cols) + std::size_t(c)) * channels;
            line[c] = channels >= 3 ? qRgb(byte(image[i]), byte(image[i + 1]), byte(image[i + 2]))
                                    : qRgb(byte(image[i]), byte(image[i]), byte(image[i]));
        }
    }
    return out;
}

QColor diverging_colour(float t) {
    // ColorBrewer RdBu end points around a near-white centre.
    static const QColor negative(33, 102, 172), centre(247, 247, 247), positive(178, 24, 43);
    t = std::clamp(t, -1.0f, 1.0f);
    const QColor& end = t < 0 ? negative : positive;
    const float a = std::abs(t);
    return QColor(int(centre.red() + a * float(end.red() - centre.red())),
                  int(centre.green() + a * float(end.green() - centre.green())),
                  int(centre.blue() + a * float(end.blue() - centre.blue())));
}

QImage heat_map(const Tensor& matrix, float limit) {
    const int rows = int(matrix.dim(0)), cols = int(matrix.dim(1));
    QImage out(cols, rows, QImage::Format_RGB32);
    const float scale = limit > 0 ? 1.0f / limit : 0.0f;
    for (int r = 0; r < rows; ++r) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(r));
        for (int c = 0; c < cols; ++c)
            line[c] = diverging_colour(matrix[std::size_t(r) * std::size_t(cols) + std::size_t(c)] * scale).rgb();
    }
    return out;
}

std::size_t slice_count(const Shape& shape) {
    std::size_t count = 1;
    for (std::size_t mode = 2; mode < shape.size(); ++mode) count *= shape[mode];
    return count;
}

Tensor matrix_slice(const Tensor& tensor, std::size_t slice) {
    if (tensor.order() == 1)
        return Tensor({1, tensor.size()}, std::vector<float>(tensor.data().begin(), tensor.data().end()));
    if (tensor.order() == 2) return tensor;
    const std::size_t rows = tensor.dim(0), cols = tensor.dim(1), rest = slice_count(tensor.shape());
    slice = std::min(slice, rest - 1);
    Tensor out({rows, cols});
    for (std::size_t i = 0; i < rows * cols; ++i) out[i] = tensor[i * rest + slice];
    return out;
}

std::pair<std::size_t, std::size_t> unfolded_shape(const Shape& shape) {
    std::size_t size = 1;
    for (std::size_t n : shape) size *= n;
    // Squarest: the smallest |log(rows / columns)| over the splits between consecutive modes.
    const auto skew = [](std::size_t rows, std::size_t cols) { return std::abs(std::log(double(rows) / double(cols))); };
    std::pair<std::size_t, std::size_t> best{1, size};
    std::size_t rows = 1;
    for (std::size_t split = 1; split < shape.size(); ++split) {
        rows *= shape[split - 1];
        if (skew(rows, size / rows) < skew(best.first, best.second)) best = {rows, size / rows};
    }
    return best;
}

Tensor unfolding(const Tensor& tensor) {
    const auto [rows, cols] = unfolded_shape(tensor.shape());
    return Tensor(tensor).reshaped({rows, cols});
}

Tensor channel_mean(const Tensor& image) {
    if (image.order() != 3) return image;
    const std::size_t pixels = image.dim(0) * image.dim(1), channels = image.dim(2);
    Tensor out({image.dim(0), image.dim(1)});
    for (std::size_t p = 0; p < pixels; ++p) {
        float sum = 0;
        for (std::size_t c = 0; c < channels; ++c) sum += image[p * channels + c];
        out[p] = sum / float(channels);
    }
    return out;
}

float max_abs(const Tensor& tensor) {
    float m = 0;
    for (float x : tensor.data()) m = std::max(m, std::abs(x));
    return m;
}

}  // namespace signcut::gui
