#pragma once
// Any low-bit method with a few entries kept apart (scd/outliers.h): the K largest |a| are
// stored exactly (a packed flat index and an f16 value each, as a .scd file stores them beside
// f16 coefficients), the method approximates A − S at the budget less their bits, and S is added
// back. Min–max rounding suffers most from a lone large entry (it stretches the row's range),
// as the LLM quantisers' literature found (SpQR, SqueezeLLM).

#include <cstddef>

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

}  // namespace signcut
