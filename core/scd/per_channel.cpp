#include "scd/per_channel.h"

#include <stdexcept>

#include "tensor/matrix_views.h"

namespace signcut {

PerChannelDecomposer::PerChannelDecomposer(const Tensor& input, bool split, const DecomposeOptions& options) {
    if (!split) {
        parts_.push_back(std::make_unique<Decomposer>(input, options));
        return;
    }
    if (!is_channel_stack(input.shape()))
        throw std::invalid_argument("per-channel decomposition: the input is not a picture");
    for (Tensor& channel : as_matrices(input))
        parts_.push_back(std::make_unique<Decomposer>(std::move(channel), options));
}

bool PerChannelDecomposer::step() {
    bool running = true;
    for (auto& part : parts_) running = part->step() && running;
    return running;
}

void PerChannelDecomposer::cancel() {
    for (auto& part : parts_) part->cancel();
}

void add_channel_cuts(Tensor& picture, std::span<const Decomposition> channels, std::size_t first, std::size_t last,
                      float scale) {
    std::vector<Tensor> matrices = as_matrices(picture);
    if (matrices.size() != channels.size())
        throw std::invalid_argument("add_channel_cuts: one decomposition a channel");
    for (std::size_t c = 0; c < channels.size(); ++c) {
        channels[c].add_cuts(matrices[c], first, last, scale);
        channels[c].add_outliers(matrices[c], first, last, scale);
    }
    picture = from_matrices(matrices, picture.shape());
}

}  // namespace signcut
