#pragma once
// The stored form of a double binary factorisation (double_binary.h), exactly dbf_bits:
//   a, m, b as f16 (rows, k and cols of them) | S1 row by row | S2 row by row (a bit an entry, 1 = −1),
// LSB first, zero-padded to a byte. k is what the length leaves: each middle column costs
// rows + cols + 16 > 8 bits, so the padding cannot hide one.

#include <span>
#include <vector>

#include "methods/dbf_product.h"

namespace signcut {

// Ŵ = diag(a)·S1·diag(m)·S2·diag(b) in f32: the method's reconstruction, and its stored form's.
Tensor dbf_reconstruction(const DbfFactors& factors);

std::vector<char> dbf_payload(const DbfFactors& factors);
// The factors of a payload for a matrix of `shape`; throws std::invalid_argument.
DbfFactors load_dbf_factors(std::span<const char> payload, const Shape& shape);
Tensor load_double_binary(std::span<const char> payload, const Shape& shape);

}  // namespace signcut
