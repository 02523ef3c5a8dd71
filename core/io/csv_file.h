#pragma once
// Matrices as text: one row a line, entries separated by commas, semicolons, tabs or
// spaces. A first line that is not numeric is taken as a column header and skipped;
// blank lines and lines starting with '#' are ignored.

#include <filesystem>

#include "tensor/tensor.h"

namespace signcut {

Tensor decode_csv(std::span<const char> text, const std::filesystem::path& source = "<memory>");
Tensor read_csv(const std::filesystem::path& path);
void write_csv(const std::filesystem::path& path, const Tensor& matrix);

}  // namespace signcut
