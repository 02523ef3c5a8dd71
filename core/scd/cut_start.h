#pragma once
// The seeded random start of cut number `cut_index`: packed sign words for every mode but
// the first (which the alternation updates first; its entry stays empty). The engine and
// the step-through trace share it, so both begin every cut from the same signs.

#include <cstdint>
#include <random>
#include <vector>

#include "scd/sign_bits.h"
#include "tensor/tensor.h"

namespace signcut {

// SplitMix64: spreads (seed, cut index) into independent generator seeds.
inline std::uint64_t mix_seed(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

inline std::vector<std::vector<std::uint64_t>> random_cut_start(const Shape& shape, std::uint64_t seed,
                                                                std::size_t cut_index) {
    std::vector<std::vector<std::uint64_t>> start(shape.size());
    std::mt19937_64 rng(mix_seed(seed ^ mix_seed(cut_index)));
    for (std::size_t mode = 1; mode < shape.size(); ++mode) {
        start[mode].resize(words_for_bits(shape[mode]));
        for (std::uint64_t& word : start[mode]) word = rng();
        clear_tail_bits(start[mode], shape[mode]);
    }
    return start;
}

}  // namespace signcut
