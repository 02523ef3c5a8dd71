#pragma once
// IEEE binary16 (f16) and bfloat16 conversions, round to nearest even, in software so the
// results do not depend on the CPU.

#include <bit>
#include <cstdint>

namespace signcut {

inline float bf16_bits_to_float(std::uint16_t bits) { return std::bit_cast<float>(std::uint32_t(bits) << 16); }

inline std::uint16_t float_to_bf16_bits(float value) {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
    if ((bits & 0x7F800000u) == 0x7F800000u && (bits & 0x007FFFFFu))  // NaN stays a quiet NaN
        return std::uint16_t((bits >> 16) | 0x0040u);
    const std::uint32_t rounding = 0x7FFFu + ((bits >> 16) & 1u);
    return std::uint16_t((bits + rounding) >> 16);
}

inline float f16_bits_to_float(std::uint16_t h) {
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1Fu;
    std::uint32_t mantissa = h & 0x3FFu;
    if (exponent == 0x1F) return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
    if (exponent != 0) return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
    if (mantissa == 0) return std::bit_cast<float>(sign);
    // Subnormal half: value = mantissa · 2^-24.
    const float magnitude = float(mantissa) * 5.9604644775390625e-8f;
    return sign ? -magnitude : magnitude;
}

inline std::uint16_t float_to_f16_bits(float value) {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
    const std::uint16_t sign = std::uint16_t((bits >> 16) & 0x8000u);
    const std::uint32_t abs = bits & 0x7FFFFFFFu;
    if (abs >= 0x7F800000u) return sign | (abs > 0x7F800000u ? 0x7E00u : 0x7C00u);  // NaN, Inf
    if (abs >= 0x477FF000u) return sign | 0x7C00u;                                  // rounds to Inf
    if (abs < 0x38800000u) {                                                        // subnormal or zero
        const float magnitude = std::bit_cast<float>(abs);
        // Adding 0.5 (2^-1) aligns the binary point so float rounding does the work.
        const float shifted = magnitude + 0.5f;
        return sign | std::uint16_t(std::bit_cast<std::uint32_t>(shifted) - 0x3F000000u);
    }
    const std::uint32_t rounding = 0xFFFu + ((abs >> 13) & 1u);
    return sign | std::uint16_t((abs - 0x38000000u + rounding) >> 13);
}

}  // namespace signcut
