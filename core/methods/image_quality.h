#pragma once
// The picture measures beside the relative error, for tensors that are images: a height × width
// matrix (gray) or height × width × 1 or 3 (RGB), with values in [0, 1] (how signcut reads image
// files, io/image_file.h) or in [0, 255] (8-bit values stored as numbers, e.g. in a .npy).
//
// The data range L is 1 in the first case, 255 in the second, chosen from the reference image.
//   PSNR = 10·log₁₀(L² / MSE), the MSE over every entry (all channels); +∞ for identical images.
//   SSIM (Wang, Bovik, Sheikh & Simoncelli 2004) on the luminance Y = 0.299 R + 0.587 G + 0.114 B
//   (ITU-R BT.601; gray images as they are), with an 11 × 11 Gaussian window of σ = 1.5
//   (weights normalised to sum 1), K1 = 0.01, K2 = 0.03, C1 = (K1·L)², C2 = (K2·L)²:
//     SSIM(x, y) = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))
//   at every position where the whole window lies inside the image ("valid", as the authors'
//   reference code), averaged over those positions; no downsampling first. 1 for identical images.

#include <optional>

#include "tensor/matrix_views.h"  // is_picture_shape
#include "tensor/tensor.h"

namespace signcut {

// L for an image of this shape and these values, or nothing when `image` is not an image
// (another shape, or values outside [0, 255]).
std::optional<double> image_data_range(const Tensor& image);

// 10·log₁₀(L² / mse); +∞ when mse is 0.
double psnr_db_from_mse(double mse, double data_range);

// PSNR of `approximation` against `reference` (same shape) with data range L.
double psnr_db(const Tensor& reference, const Tensor& approximation, double data_range);

// Mean SSIM on luminance as above; nothing when the image is smaller than the 11 × 11 window.
std::optional<double> structural_similarity(const Tensor& reference, const Tensor& approximation, double data_range);

struct ImageQuality {
    double psnr_db = 0.0;        // +∞ for identical images
    std::optional<double> ssim;  // nothing below 11 × 11 pixels
    double data_range = 1.0;     // L
};

// Both measures with L taken from `reference`, or nothing when `reference` is not an image.
// Throws std::invalid_argument when the shapes differ.
std::optional<ImageQuality> image_quality(const Tensor& reference, const Tensor& approximation);

}  // namespace signcut
