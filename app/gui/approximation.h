#pragma once
// What the explorer shows at a width w: one decomposition of the whole tensor, or one per
// colour channel ("separate channels"), with the error, size and reconstruction at any w.

#include <QString>

#include <memory>
#include <vector>

#include "scd/decomposition.h"
#include "tensor/tensor.h"

namespace signcut::gui {

struct Snapshot {
    quint64 job = 0;
    std::vector<Decomposition> parts;  // one, or one per channel of a height × width × c tensor
    bool split_channels = false;
    bool finished = false;
    double seconds = 0.0;
    QString stop_reason;

    // Widths 0..width() are available for every part.
    std::size_t width() const;
    double relative_error(std::size_t w) const;
    std::uint64_t stored_bytes(std::size_t w) const;
    std::size_t entries() const;
    Shape shape() const;  // of the whole tensor
};

// Keeps the reconstruction at the displayed width and moves it by differences.
class ReconstructionCursor {
public:
    void reset() { width_ = 0, valid_ = false; }
    // The reconstruction at width w of `snapshot` (w ≤ snapshot.width()).
    const Tensor& at(const Snapshot& snapshot, std::size_t w);

private:
    Tensor image_;
    std::size_t width_ = 0;
    bool valid_ = false;
};

// Splits a height × width × c tensor into c matrices, and joins them back.
std::vector<Tensor> split_channels(const Tensor& tensor);
Tensor join_channels(const std::vector<Tensor>& channels);

}  // namespace signcut::gui
