#pragma once
// Images through OpenCV. An image becomes a tensor of values in [0, 1]:
//   gray → height × width (a matrix); colour → height × width × 3 in RGB order.
// 8-bit values are divided by 255, 16-bit by 65535, float images are taken as they are.
// An alpha channel is dropped (the colour values are kept as stored, not blended),
// and load_image reports that in `notes`.

#include <filesystem>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace signcut {

struct LoadedImage {
    Tensor tensor;
    int bit_depth = 8;
    std::vector<std::string> notes;
};

// Throws FileError for unreadable files and images above max_pixels.
LoadedImage decode_image(std::span<const char> bytes, const std::filesystem::path& source = "<memory>",
                         std::size_t max_pixels = std::size_t(1) << 28);
LoadedImage load_image(const std::filesystem::path& path, std::size_t max_pixels = std::size_t(1) << 28);

// Saves a height × width (× 1 or 3) tensor as an 8-bit image, clamping to [0, 1]; the
// format follows the extension (png, jpg, bmp, tif).
void save_image(const std::filesystem::path& path, const Tensor& image);

// A height × width (× c) tensor resampled to rows × cols by area averaging (for downscaling).
Tensor resize_image(const Tensor& image, std::size_t rows, std::size_t cols);

}  // namespace signcut
