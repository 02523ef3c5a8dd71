// The AVX2 kernels (with FMA and POPCNT, which every AVX2 CPU has): kernels_impl.h over the
// AVX2 traits; compiled with -mavx2 -mfma -mpopcnt only for this file.
#include "simd/kernels_impl.h"
#include "simd/simd_traits_avx2.h"

namespace signcut {

const Kernels& avx2_kernels() {
    static constexpr Kernels table = simd::kernel_table<simd::Avx2>();
    return table;
}

}  // namespace signcut
