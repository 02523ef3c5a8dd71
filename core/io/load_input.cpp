#include "io/load_input.h"

#include "io/csv_file.h"
#include "io/file_access.h"
#include "io/image_file.h"
#include "io/npy_file.h"

namespace signcut {

LoadedInput load_input(const std::filesystem::path& path) {
    const std::string ext = lower_extension(path);
    if (ext == "npy") return {read_npy(path), InputKind::array, {}};
    if (ext == "csv" || ext == "txt") return {read_csv(path), InputKind::array, {}};
    if (is_image_extension(ext)) {
        LoadedImage image = load_image(path);
        return {std::move(image.tensor), InputKind::image, std::move(image.notes)};
    }
    throw FileError(path, "unknown file type '." + ext + "' (signcut reads png, jpg, bmp, tiff, npy and csv)");
}

void save_output(const std::filesystem::path& path, const Tensor& tensor) {
    const std::string ext = lower_extension(path);
    if (is_image_extension(ext)) return save_image(path, tensor);
    if (ext == "npy") return write_npy(path, tensor);
    if (ext == "csv") return write_csv(path, tensor);
    throw FileError(path, "unknown output type '." + ext + "' (use .png, .npy or .csv)");
}

}  // namespace signcut
