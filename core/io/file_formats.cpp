#include "io/file_formats.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace signcut {

const std::vector<FileFormat>& file_formats() {
    using C = FileContent;
    using F = FileFormatId;
    static const std::vector<FileFormat> formats = {
        {F::png, "PNG image", {"png"}, C::image, true, true},
        {F::jpeg, "JPEG image", {"jpg", "jpeg"}, C::image, true, true},
        {F::bmp, "BMP image", {"bmp"}, C::image, true, true},
        {F::tiff, "TIFF image", {"tif", "tiff"}, C::image, true, true},
        {F::webp, "WebP image", {"webp"}, C::image, true, true},
        {F::netpbm, "Netpbm image", {"pgm", "ppm"}, C::image, true, true},
        {F::npy, "NumPy array", {"npy"}, C::array, true, true},
        {F::csv, "CSV", {"csv"}, C::array, true, true},  // a matrix; also the error curve
        {F::txt, "Text table", {"txt"}, C::array, true, false},
        {F::scd, "Signed cuts", {"scd"}, C::decomposition, true, true},
        {F::scdz, "Compressed checkpoint", {"scdz"}, C::compressed_checkpoint, true, true},
        {F::safetensors, "Safetensors checkpoint", {"safetensors"}, C::checkpoint, true, true},
        {F::safetensors_index, "Hugging Face checkpoint index", {"safetensors.index.json"}, C::checkpoint, true, true},
        {F::gif, "Animated GIF", {"gif"}, C::animation, false, true},
        {F::mp4, "MP4 video, H.264", {"mp4"}, C::animation, false, true},
        {F::svg, "SVG drawing", {"svg"}, C::drawing, false, true},
    };
    return formats;
}

const FileFormat* file_format_of(const std::filesystem::path& path) {
    std::string name = path.filename().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    const FileFormat* found = nullptr;
    std::size_t found_length = 0;
    for (const FileFormat& format : file_formats())
        for (std::string_view ext : format.extensions)
            if (name.size() > ext.size() + 1 && name.ends_with(ext) && name[name.size() - ext.size() - 1] == '.' &&
                ext.size() > found_length) {
                found = &format;
                found_length = ext.size();
            }
    return found;
}

const FileFormat& file_format(FileFormatId id) {
    for (const FileFormat& format : file_formats())
        if (format.id == id) return format;
    throw std::logic_error("file format missing from the registry");
}

bool has_file_format(const std::filesystem::path& path, FileFormatId id) {
    const FileFormat* format = file_format_of(path);
    return format && format->id == id;
}

std::string extension_list(std::initializer_list<FileContent> contents, bool writable) {
    std::vector<std::string_view> extensions;
    for (const FileFormat& format : file_formats())
        if ((writable ? format.writable : format.readable) &&
            std::find(contents.begin(), contents.end(), format.content) != contents.end())
            extensions.insert(extensions.end(), format.extensions.begin(), format.extensions.end());
    std::string list;
    for (std::size_t i = 0; i < extensions.size(); ++i) {
        if (i > 0) list += i + 1 == extensions.size() ? " and " : ", ";
        list += extensions[i];
    }
    return list;
}

std::string name_filter(const FileFormat& format) {
    std::string filter = std::string(format.name) + " (";
    for (std::size_t i = 0; i < format.extensions.size(); ++i)
        filter += (i > 0 ? " *." : "*.") + std::string(format.extensions[i]);
    return filter + ")";
}

std::string name_filters(std::initializer_list<FileFormatId> ids) {
    std::string filters;
    for (FileFormatId id : ids) filters += (filters.empty() ? "" : ";;") + name_filter(file_format(id));
    return filters;
}

std::string combined_name_filter(std::string_view title, std::initializer_list<FileContent> contents) {
    std::string patterns;
    for (const FileFormat& format : file_formats())
        if (format.readable && std::find(contents.begin(), contents.end(), format.content) != contents.end())
            for (std::string_view ext : format.extensions)
                patterns += (patterns.empty() ? "*." : " *.") + std::string(ext);
    return std::string(title) + " (" + patterns + ")";
}

std::string open_dialog_filter() {
    return combined_name_filter("Images, arrays and decompositions",
                                {FileContent::image, FileContent::array, FileContent::decomposition,
                                 FileContent::compressed_checkpoint}) +
           ";;All files (*)";
}

}  // namespace signcut
