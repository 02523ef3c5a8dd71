#pragma once
// What Eigen's dense products (Kashin, DBF, SVD, the rotations, bench's GEMV) run on.

#include <string>

namespace signcut {

// "OpenBLAS <core>" (its kernels chosen for this CPU at run time, core/CMakeLists.txt) or
// Eigen's own kernels, compiled for the build's baseline instruction set.
std::string dense_product_kernels();

}  // namespace signcut
