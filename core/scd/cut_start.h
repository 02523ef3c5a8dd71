#pragma once
// The seeded starts of the cuts: a pool of kStartPool random sign vectors for every mode but
// the first (which the alternation updates first; its entry stays empty), cut j starting from
// entry j mod kStartPool. Reusing a few starts lets an engine keep the images of each start
// (and of the first half-steps from it) up to date between cuts instead of recomputing them;
// the step-through trace uses the same starts, so it replays the engine's cuts.

#include <cstdint>
#include <random>
#include <vector>

#include "scd/sign_bits.h"
#include "tensor/tensor.h"

namespace signcut {

// Starts in the pool. One start for every cut wears out: the cuts found from it remove what
// R has along it, and later alternations from it wander longer (1024² N(0,1): 1.54 passes of
// flipped lines per cut with one start, 1.45 with 16, 1.41 with 32; docs/performance.md).
inline constexpr std::size_t kStartPool = 32;

// SplitMix64: spreads a seed into an independent generator seed.
inline std::uint64_t mix_seed(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// The generator of cut `cut_index`'s fresh modes (2, 3, …).
inline std::mt19937_64 fresh_start_generator(std::uint64_t seed, std::size_t cut_index) {
    return std::mt19937_64(mix_seed(mix_seed(seed) ^ mix_seed(cut_index)));
}

// The start of cut `cut_index`: mode 1 (the columns' t) from pool entry cut_index mod
// kStartPool, later modes (a photo's channel signs u, …) drawn afresh for every cut. They
// cost the engine nothing to change, and channel signs repeated with the pool cost accuracy
// (300×451×3 N(0,1) at the bf16-equal width: error 0.0033 with them, 0.00081 fresh).
inline std::vector<std::vector<std::uint64_t>> seeded_cut_start(const Shape& shape, std::uint64_t seed,
                                                                std::size_t cut_index) {
    std::vector<std::vector<std::uint64_t>> start(shape.size());
    std::mt19937_64 pooled(mix_seed(seed ^ mix_seed(cut_index % kStartPool)));
    std::mt19937_64 fresh = fresh_start_generator(seed, cut_index);
    for (std::size_t mode = 1; mode < shape.size(); ++mode) {
        start[mode].resize(words_for_bits(shape[mode]));
        for (std::uint64_t& word : start[mode]) word = mode == 1 ? pooled() : fresh();
        clear_tail_bits(start[mode], shape[mode]);
    }
    return start;
}

// Mode 2 of seeded_cut_start (a photo's channel signs), without drawing the pooled mode 1: the
// engine asks for it once per cut, and seeding a generator costs as much as the cut's z sums.
inline std::vector<std::uint64_t> seeded_channel_start(const Shape& shape, std::uint64_t seed, std::size_t cut_index) {
    std::mt19937_64 fresh = fresh_start_generator(seed, cut_index);
    std::vector<std::uint64_t> start(words_for_bits(shape.at(2)));
    for (std::uint64_t& word : start) word = fresh();
    clear_tail_bits(start, shape[2]);
    return start;
}

}  // namespace signcut
