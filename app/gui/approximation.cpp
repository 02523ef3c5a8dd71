#include "approximation.h"

#include <algorithm>
#include <cmath>

namespace signcut::gui {

std::size_t Snapshot::width() const {
    std::size_t w = parts.empty() ? 0 : parts.front().width();
    for (const Decomposition& part : parts) w = std::min(w, part.width());
    return w;
}

double Snapshot::relative_error(std::size_t w) const {
    double residual = 0.0, input = 0.0;
    for (const Decomposition& part : parts) {
        residual += part.residual_squared_norms()[w];
        input += part.input_squared_norm();
    }
    return input > 0 ? std::sqrt(residual / input) : 0.0;
}

std::uint64_t Snapshot::stored_bytes(std::size_t w) const {
    std::uint64_t bytes = 0;
    for (const Decomposition& part : parts) bytes += part.stored_bytes(w);
    return bytes;
}

std::size_t Snapshot::entries() const {
    std::size_t n = 0;
    for (const Decomposition& part : parts) n += part.entries();
    return n;
}

Shape Snapshot::shape() const {
    if (parts.empty()) return {};
    Shape shape = parts.front().shape();
    if (split_channels) shape.push_back(parts.size());
    return shape;
}

const Tensor& ReconstructionCursor::at(const Snapshot& snapshot, std::size_t w) {
    const auto rebuild = [&](std::size_t from, std::size_t to, Tensor start, float scale) {
        if (!snapshot.split_channels) {
            snapshot.parts.front().add_cuts(start, from, to, scale);
            return start;
        }
        std::vector<Tensor> channels = split_channels(start);
        for (std::size_t c = 0; c < channels.size(); ++c) snapshot.parts[c].add_cuts(channels[c], from, to, scale);
        return join_channels(channels);
    };
    if (!valid_ || image_.shape() != snapshot.shape()) {
        image_ = rebuild(0, w, Tensor(snapshot.shape()), 1.0f);
    } else if (w > width_) {
        image_ = rebuild(width_, w, std::move(image_), 1.0f);
    } else if (w < width_) {
        // Going back: subtract the difference, or start over when that is less work.
        image_ = width_ - w <= w ? rebuild(w, width_, std::move(image_), -1.0f)
                                 : rebuild(0, w, Tensor(snapshot.shape()), 1.0f);
    }
    width_ = w;
    valid_ = true;
    return image_;
}

std::vector<Tensor> split_channels(const Tensor& tensor) {
    const std::size_t rows = tensor.dim(0), cols = tensor.dim(1), channels = tensor.dim(2);
    std::vector<Tensor> out(channels, Tensor({rows, cols}));
    for (std::size_t i = 0; i < rows * cols; ++i)
        for (std::size_t c = 0; c < channels; ++c) out[c][i] = tensor[i * channels + c];
    return out;
}

Tensor join_channels(const std::vector<Tensor>& channels) {
    const std::size_t rows = channels.front().dim(0), cols = channels.front().dim(1), count = channels.size();
    Tensor out({rows, cols, count});
    for (std::size_t i = 0; i < rows * cols; ++i)
        for (std::size_t c = 0; c < count; ++c) out[i * count + c] = channels[c][i];
    return out;
}

}  // namespace signcut::gui
