// The one run-time dispatch point between the scalar, AVX2 and AVX-512 kernels.
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "simd/kernels.h"

namespace signcut {

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

Isa choose_isa(const char* requested, bool (*supported)(Isa)) {
    constexpr Isa kAll[] = {Isa::avx512, Isa::avx2, Isa::scalar};  // best first
    if (!requested || !*requested) {
        for (Isa isa : kAll)
            if (supported(isa)) return isa;
        return Isa::scalar;
    }
    const std::string setting = "SIGNCUT_ISA=" + std::string(requested);
    const std::optional<Isa> isa = parse_enum<Isa>(requested);
    if (!isa)
        throw std::runtime_error(setting +
                                 ": no such instruction set (scalar, avx2 or avx512; unset: the best this CPU runs)");
    if (!supported(*isa)) {
        std::string runs;
        for (Isa other : kAll)
            if (supported(other)) runs += (runs.empty() ? "" : ", ") + std::string(isa_name(other));
        throw std::runtime_error(setting + ": this CPU does not support " + std::string(isa_name(*isa)) + " (it runs " +
                                 runs + ")");
    }
    return *isa;
}

const Kernels& active_kernels() {
    // A throw leaves `chosen` uninitialised, so every later call throws the same error.
    static const Kernels& chosen = kernels_for(choose_isa(std::getenv("SIGNCUT_ISA")));
    return chosen;
}

}  // namespace signcut
