#pragma once
// Every file format signcut reads or writes, listed once: its name as dialogs show it, its
// extensions, what it holds and whether signcut reads and writes it. load_input / save_output
// dispatch from this list, and the GUI's file dialogs take their name filters from it.

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace signcut {

// In the order of file_formats(): images (OpenCV), arrays, decompositions, compressed
// checkpoints, checkpoints, animations and chart drawings.
enum class FileFormatId {
    png,
    jpeg,
    bmp,
    tiff,
    webp,
    netpbm,
    npy,
    csv,
    txt,
    scd,
    scdz,
    safetensors,
    safetensors_index,
    gif,
    mp4,
    svg
};

// What a file of the format holds.
enum class FileContent { image, array, decomposition, compressed_checkpoint, checkpoint, animation, drawing };

struct FileFormat {
    FileFormatId id;
    std::string_view name;                     // "PNG image", as in a dialog's filter
    std::vector<std::string_view> extensions;  // lower case, no leading dot; the first is the usual one
    FileContent content;
    bool readable;  // signcut reads it (images and arrays: through load_input)
    bool writable;  // signcut writes it (images and arrays: through save_output; svg: the GUI's chart export)
};

// All formats, in the order dialogs list them.
const std::vector<FileFormat>& file_formats();

// The format a path's name ends in ("a.safetensors.index.json" is the index, not a .json), or
// nullptr. Case-insensitive.
const FileFormat* file_format_of(const std::filesystem::path& path);
const FileFormat& file_format(FileFormatId id);
// Whether the path's name ends in one of the format's extensions (any case).
bool has_file_format(const std::filesystem::path& path, FileFormatId id);

// The extensions of the formats holding `contents` that are readable (or writable), as
// "png, jpg, … and csv", for error messages.
std::string extension_list(std::initializer_list<FileContent> contents, bool writable);

// Qt-style dialog name filters: "PNG image (*.png)" for one format; several joined by ";;".
std::string name_filter(const FileFormat& format);
std::string name_filters(std::initializer_list<FileFormatId> ids);
// One filter "title (*.png *.jpg … *.scdz)" for every readable format holding `contents`.
std::string combined_name_filter(std::string_view title, std::initializer_list<FileContent> contents);

// The GUI's open dialog: every readable image, array, decomposition and compressed checkpoint
// in one filter, then "All files (*)".
std::string open_dialog_filter();

}  // namespace signcut
