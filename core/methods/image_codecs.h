#pragma once
// The codecs people use for pictures, as methods at a bit budget: JPEG and WebP swept over their
// quality setting, lossless PNG as the reference. Each codes the image as 8-bit pixels
// (value·255/L rounded, L the data range of methods/image_quality.h), and every byte of the
// file counts: bits = 8·file bytes ≤ B·entries. The reconstruction is the decoded file.
// Only images (height × width, or × 1 or 3, values in [0, 1] or [0, 255]) are accepted.

#include "methods/method.h"
#include "tensor/enum_names.h"

namespace signcut {

enum class ImageCodec { jpeg, webp, png };
template <>
struct EnumNames<ImageCodec> {
    static constexpr std::array<EnumName<ImageCodec>, 3> names{
        {{ImageCodec::jpeg, "jpeg"}, {ImageCodec::webp, "webp"}, {ImageCodec::png, "png"}}};
};

// JPEG and WebP: the largest quality (1–100) whose whole file fits B bits per entry, found by
// bisection (file size grows with quality). PNG: met only when its lossless file fits.
Approximation codec_at_budget(const Tensor& image, ImageCodec codec, double bits_per_entry);

// The file of a flat gray image of this shape at the codec's lowest setting, in bits per entry:
// about the smallest file of any picture of this shape (the start of a rate–distortion curve).
double codec_minimum_bits_per_entry(const Shape& shape, ImageCodec codec);

}  // namespace signcut
