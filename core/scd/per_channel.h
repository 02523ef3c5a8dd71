#pragma once
// A colour picture (height × width × c) decomposed one channel at a time: c matrices, each
// with its own signed cuts, stepped together so every width is available for all channels.
// With `split` off it is one decomposition of the whole tensor, so callers need one path only.

#include <memory>
#include <span>
#include <vector>

#include "scd/decomposer.h"
#include "tensor/tensor.h"

namespace signcut {

class PerChannelDecomposer {
public:
    // split: one decomposition per channel of a height × width × c tensor (c ≤ 4, as_matrices in
    // methods/method.h); otherwise one of the whole input. Throws as Decomposer does.
    PerChannelDecomposer(const Tensor& input, bool split, const DecomposeOptions& options);

    // One cut for every part; false once any part has stopped (every part still takes its step).
    bool step();
    // Thread-safe, as Decomposer::cancel.
    void cancel();

    std::size_t parts() const { return parts_.size(); }
    const Decomposition& decomposition(std::size_t part) const { return parts_[part]->decomposition(); }
    // Why the first part stopped (they share the stop rule).
    StopReason stop_reason() const { return parts_.front()->stop_reason(); }

private:
    std::vector<std::unique_ptr<Decomposer>> parts_;
};

// Adds Σ_{first ≤ j < last} scale · c_j · (sign matrix j) of each channel's decomposition, and
// scale · the entries it keeps apart at widths in (first, last], to its channel of `picture`
// (height × width × channels.size()): moves the picture from width `first` to width `last`.
void add_channel_cuts(Tensor& picture, std::span<const Decomposition> channels, std::size_t first, std::size_t last,
                      float scale = 1.0f);

}  // namespace signcut
