#pragma once
// The error curve as CSV: width, bytes, bits_per_entry, relative_error for w = 0..width.

#include <cstdint>
#include <filesystem>
#include <functional>

namespace signcut {

struct ErrorCurve {
    std::size_t width = 0;    // rows for w = 0..width
    std::size_t entries = 0;  // of the input, for bits per entry
    std::function<std::uint64_t(std::size_t)> stored_bytes;
    std::function<double(std::size_t)> relative_error;
};

void write_error_curve(const std::filesystem::path& path, const ErrorCurve& curve);

}  // namespace signcut
