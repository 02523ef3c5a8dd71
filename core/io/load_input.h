#pragma once
// Loads any supported input by its extension (io/file_formats.h): images (OpenCV), .npy, .csv and .txt.

#include <filesystem>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace signcut {

enum class InputKind { image, array };

struct LoadedInput {
    Tensor tensor;
    InputKind kind = InputKind::array;
    std::vector<std::string> notes;  // what the loader changed, e.g. "alpha channel dropped"
};

// Throws FileError with a readable message for anything it cannot load.
LoadedInput load_input(const std::filesystem::path& path);

// Writes a reconstruction: images for image extensions, otherwise .npy (or .csv for a matrix).
void save_output(const std::filesystem::path& path, const Tensor& tensor);

}  // namespace signcut
