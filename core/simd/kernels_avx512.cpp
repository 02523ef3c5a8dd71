// The AVX-512 (F) kernels: kernels_impl.h over the AVX-512 traits; compiled with -mavx512f
// -mpopcnt only for this file.
#include "simd/kernels_impl.h"
#include "simd/simd_traits_avx512.h"

namespace signcut {

const Kernels& avx512_kernels() {
    static constexpr Kernels table = simd::kernel_table<simd::Avx512>();
    return table;
}

}  // namespace signcut
