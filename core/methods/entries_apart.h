#pragma once
// Any low-bit method with a few entries kept apart (scd/outliers.h): the K largest |a| are
// stored exactly (a packed flat index and an f16 value each, as a .scd file stores them beside
// f16 coefficients), the method approximates A − S at the budget less their bits, and S is added
// back. Min–max rounding suffers most from a lone large entry (it stretches the row's range),
// as the LLM quantisers' literature found (SpQR, SqueezeLLM).
// Stored form: the section a .scd file would hold for them (docs/formats.md: u64 K, u64 1,
// u64 0, u64 K, the packed indices padded to a byte, K f16 values), then the method's own.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "methods/method.h"

namespace signcut {

using MethodFunction = Approximation (*)(const Tensor& a, const MethodOptions& options);

// The method on A with `count` entries kept apart.
Approximation approximate_with_entries_apart(const Tensor& a, const MethodOptions& options, MethodFunction method,
                                             std::size_t count);

// options.outliers: a count as above; auto tries 0 and 0.1 %, 0.3 % and 1 % of the entries and
// keeps the lowest error (these methods have no per-entry gain to weigh against a bit, so the
// choice is measured). The note says how many were kept apart.
Approximation approximate_with_entries_apart(const Tensor& a, const MethodOptions& options, MethodFunction method);

// The section of `indices` (increasing, < entries) and their f16 `values`.
std::vector<char> entries_apart_section(std::uint64_t entries, std::span<const std::uint64_t> indices,
                                        std::span<const float> values);
// The reconstruction from a stored form with `count` entries apart, the rest read by `load`.
// Throws std::invalid_argument.
Tensor load_with_entries_apart(std::span<const char> payload, const Shape& shape, std::size_t count,
                               Tensor (*load)(std::span<const char>, const Shape&));

}  // namespace signcut
