#pragma once
// Sign agreement counts over the bits that changed, included by each kernel translation
// unit so that the SIMD ones compile std::popcount to the POPCNT instruction (every CPU
// with AVX2 has it) while the scalar one stays baseline x86-64. Integers: every path
// returns the same counts.

#include <bit>
#include <cstddef>
#include <cstdint>

namespace signcut::detail {
// Internal linkage on purpose: each translation unit keeps its own compilation (an inline
// function would be merged by the linker into one copy, possibly the POPCNT one).
namespace {

// out[j] = Σ over bits set in `changed` of (+1 where signs and cuts[j] agree, −1 where not).
inline void changed_overlaps_impl(const std::uint64_t* changed, const std::uint64_t* signs,
                                  const std::uint64_t* const* cuts, std::size_t count, std::size_t words,
                                  std::int64_t* out) {
    std::int64_t flipped = 0;
    for (std::size_t w = 0; w < words; ++w) flipped += std::popcount(changed[w]);
    for (std::size_t j = 0; j < count; ++j) out[j] = -flipped;
    for (std::size_t w = 0; w < words; ++w) {
        if (!changed[w]) continue;  // late in a cut most words have no flip
        for (std::size_t j = 0; j < count; ++j) out[j] += 2 * std::popcount(changed[w] & ~(signs[w] ^ cuts[j][w]));
    }
}

}  // namespace
}  // namespace signcut::detail
