#pragma once
// Entries kept apart from the cuts ("outliers"). On trained weights a few entries lie far out
// in the tails; every cut adds ±c to *every* entry, so a lone spike is fitted only by many cuts
// and the error curve plateaus. Such an entry is cheaper stored exactly beside the cuts (its
// flat index and its value), the dense-and-sparse split that SpQR and SqueezeLLM use for
// quantisers. The approximation at width w is then Σ_{j<w} cuts + the entries kept apart at
// widths ≤ w; the cuts decompose what remains.
//
// How many is decided by marginal value per bit (Decomposer, policy `automatic`): moving a
// residual entry r apart buys r² of residual energy for outlier_bits(); the last cut bought
// its gain v²/N for bits_per_cut(). Every few cuts the decomposer moves apart each entry that
// buys more per bit than that cut did. On a Gaussian residual this needs |r| beyond about 7σ,
// which no entry reaches, so inputs without outliers keep the plain cuts.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tensor/tensor.h"

namespace signcut {

enum class CoeffPrecision : std::uint8_t;

struct OutlierPolicy {
    bool automatic = false;  // decided while cutting, by marginal value per bit
    std::size_t count = 0;   // otherwise: the `count` largest |a|, taken apart before cutting
    bool operator==(const OutlierPolicy&) const = default;
};

// "auto", or a count ("0": none, the plain algorithm); throws std::invalid_argument otherwise.
OutlierPolicy parse_outlier_policy(std::string_view text);
std::string outlier_policy_name(const OutlierPolicy& policy);

// An entry kept apart stores a packed flat index of this many bits ...
std::size_t outlier_index_bits(std::uint64_t entries);
// ... and its value, stored as f32 beside f32 coefficients and as f16 beside f16 or bf16 ones.
CoeffPrecision outlier_value_precision(CoeffPrecision coefficients);
// Bits of one entry kept apart (index and value).
std::size_t outlier_bits(std::uint64_t entries, CoeffPrecision precision);

// Flat (row-major) indices of the `count` entries of largest |a|, in increasing index order;
// ties broken by the lower index, so the choice is deterministic.
std::vector<std::uint64_t> largest_entries(const Tensor& a, std::size_t count);

class Decomposition;
// "262 (0.10 %), 0.034 b/e": how many entries the decompositions (one, or one per colour channel)
// keep apart at width w, and the bits per entry they cost. The readout of the CLI and the GUI.
std::string describe_outliers(std::span<const Decomposition> parts, std::size_t w);

// Appends the positions i (increasing) and values of the entries of `data` with x² > squared_threshold,
// scanning fixed chunks in parallel; the result does not depend on the thread count.
void find_entries_above(std::span<const float> data, double squared_threshold, std::vector<std::uint64_t>& indices,
                        std::vector<float>& values);

}  // namespace signcut
