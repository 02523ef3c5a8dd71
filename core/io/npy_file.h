#pragma once
// NumPy .npy arrays: reads f16, f32 and f64 of any order, C or Fortran order, either
// byte order; writes f32 in C order.

#include <filesystem>

#include "tensor/tensor.h"

namespace signcut {

Tensor decode_npy(std::span<const char> bytes, const std::filesystem::path& source = "<memory>");
Tensor read_npy(const std::filesystem::path& path);
std::vector<char> encode_npy(const Tensor& tensor);
void write_npy(const std::filesystem::path& path, const Tensor& tensor);

}  // namespace signcut
