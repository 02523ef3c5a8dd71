#pragma once
// Sign vectors in {-1,+1}^n packed into u64 words, least significant bit first.
// A set bit means -1 (as in an IEEE float's sign bit); a clear bit means +1.

#include <cstddef>
#include <cstdint>
#include <span>

namespace signcut {

constexpr std::size_t words_for_bits(std::size_t bits) { return (bits + 63) / 64; }

inline bool is_negative(std::span<const std::uint64_t> words, std::size_t i) {
    return (words[i >> 6] >> (i & 63)) & 1u;
}

// Sign i as ±1, computed without a branch: hot loops over random signs would mispredict half
// the time. Multiplying by it is exact, so x * sign_value(…) is −x or x bit for bit.
template <typename Real>
inline Real sign_value(const std::uint64_t* words, std::size_t i) {
    return Real(1) - Real(2) * Real((words[i >> 6] >> (i & 63)) & 1u);
}

inline void set_negative(std::span<std::uint64_t> words, std::size_t i, bool negative) {
    const std::uint64_t bit = std::uint64_t(1) << (i & 63);
    words[i >> 6] = negative ? (words[i >> 6] | bit) : (words[i >> 6] & ~bit);
}

// Clears the unused bits of the last word so equal sign vectors have equal words.
inline void clear_tail_bits(std::span<std::uint64_t> words, std::size_t bits) {
    if (bits % 64 != 0 && !words.empty()) words[bits / 64] &= (std::uint64_t(1) << (bits % 64)) - 1;
}

}  // namespace signcut
