#pragma once
// The two passes over a tensor that a signed cut needs, parallel under oneTBB with a
// partition that depends only on the shape, so results are the same for any thread count:
//   contraction with sign vectors of all modes but one, and adding c · (sign tensor).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "simd/kernels.h"
#include "tensor/tensor.h"

namespace signcut {

// A tensor seen from one mode as a pre × n × post array (C order).
struct ModeView {
    std::size_t pre = 1, n = 1, post = 1;
};
ModeView mode_view(const Shape& shape, std::size_t mode);

// Sign pattern of the Kronecker product of sign vectors (first vector slowest):
// bit p of the result is the xor of each vector's bit at p's digit. `out` is resized.
void kronecker_signs(std::span<const std::uint64_t* const> signs, std::span<const std::size_t> dims,
                     std::vector<std::uint64_t>& out);

// out[j] = Σ_p Σ_q (−1)^{a_p} R[p, j, q] (−1)^{b_q}, with a = pre_signs and b = post_signs
// as packed bits. `partials` is scratch space reused between calls.
void contract_mode(std::span<const float> tensor, const ModeView& view, const std::uint64_t* pre_signs,
                   const std::uint64_t* post_signs, std::span<float> out, std::vector<float>& partials,
                   const Kernels& kernels);

// tensor[r, i] += (−1)^{row_r + last_i} · c over rows × row_length entries.
void add_sign_tensor(std::span<float> tensor, std::size_t row_length, const std::uint64_t* row_signs,
                     const std::uint64_t* last_signs, float c, const Kernels& kernels);

// Σ x_i² in double, parallel, summed in a fixed order.
double squared_norm(std::span<const float> tensor);

}  // namespace signcut
