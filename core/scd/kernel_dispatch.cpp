// The one run-time dispatch point between the scalar, AVX2 and AVX-512 kernels.
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "scd/kernels.h"

namespace signcut {

std::string_view isa_name(Isa isa) {
    switch (isa) {
        case Isa::scalar:
            return "scalar";
        case Isa::avx2:
            return "avx2";
        case Isa::avx512:
            return "avx512";
    }
    return "unknown";
}

std::optional<Isa> isa_from_name(std::string_view name) {
    for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512})
        if (isa_name(isa) == name) return isa;
    return std::nullopt;
}

bool isa_supported(Isa isa) {
    switch (isa) {
        case Isa::scalar:
            return true;
        case Isa::avx2:
            return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("popcnt");
        case Isa::avx512:
            return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("popcnt");
    }
    return false;
}

const Kernels& kernels_for(Isa isa) {
    if (!isa_supported(isa))
        throw std::runtime_error("this CPU does not support the " + std::string(isa_name(isa)) + " kernels");
    switch (isa) {
        case Isa::avx512:
            return avx512_kernels();
        case Isa::avx2:
            return avx2_kernels();
        case Isa::scalar:
            break;
    }
    return scalar_kernels();
}

const Kernels& active_kernels() {
    static const Kernels& chosen = []() -> const Kernels& {
        if (const char* requested = std::getenv("SIGNCUT_ISA")) {
            if (auto isa = isa_from_name(requested); isa && isa_supported(*isa)) return kernels_for(*isa);
        }
        if (isa_supported(Isa::avx512)) return kernels_for(Isa::avx512);
        if (isa_supported(Isa::avx2)) return kernels_for(Isa::avx2);
        return scalar_kernels();
    }();
    return chosen;
}

}  // namespace signcut
