#include "io/load_input.h"

#include "io/csv_file.h"
#include "io/file_access.h"
#include "io/file_formats.h"
#include "io/image_file.h"
#include "io/npy_file.h"

namespace signcut {

LoadedInput load_input(const std::filesystem::path& path) {
    const FileFormat* format = file_format_of(path);
    if (format && format->readable && format->content == FileContent::image) {
        LoadedImage image = load_image(path);
        return {std::move(image.tensor), InputKind::image, std::move(image.notes)};
    }
    if (format && format->id == FileFormatId::npy) return {read_npy(path), InputKind::array, {}};
    if (format && (format->id == FileFormatId::csv || format->id == FileFormatId::txt))
        return {read_csv(path), InputKind::array, {}};
    throw FileError(path, "unknown file type '." + lower_extension(path) + "' (signcut reads " +
                              extension_list({FileContent::image, FileContent::array}, false) + ")");
}

void save_output(const std::filesystem::path& path, const Tensor& tensor) {
    const FileFormat* format = file_format_of(path);
    if (format && format->writable && format->content == FileContent::image) return save_image(path, tensor);
    if (format && format->id == FileFormatId::npy) return write_npy(path, tensor);
    if (format && format->id == FileFormatId::csv) return write_csv(path, tensor);
    throw FileError(path, "unknown output type '." + lower_extension(path) + "' (use " +
                              extension_list({FileContent::image, FileContent::array}, true) + ")");
}

}  // namespace signcut
