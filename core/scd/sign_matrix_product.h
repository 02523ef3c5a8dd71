#pragma once
// Y = M·X for a ±1 matrix M held as bits (sign_matrix.h) and a batch of float vectors, without
// expanding M: T-MAC's table lookup (Wei et al., "T-MAC: CPU renaissance via table lookup for
// low-bit LLM deployment on edge", 2024). For each group of four columns the 16 signed sums
//   table_g[e] = (±x_{4g} ± x_{4g+1}) + (±x_{4g+2} ± x_{4g+3}),   bit k of e set: −x_{4g+k},
// are computed once per product; then every row adds one entry per group,
//   y_r = (…((0 + table_0[e_{r,0}]) + table_1[e_{r,1}]) + …),   groups in order,
// sixteen rows per SIMD permute (Kernels::add_sign_tile_lookups). docs/performance.md has
// what this and the masked add/subtract design measured.
//
// Deterministic: every row's sum has this one order, on every instruction set (the SIMD
// kernels return the scalar twin's floats bit for bit), for any thread count (oneTBB takes
// fixed tasks of 128 rows × at most 6 vectors, each sum done whole by one task), and whatever
// the batch (vector v of a batch gets the floats it gets alone).

#include <cstddef>
#include <functional>
#include <span>

#include "simd/kernels.h"
#include "scd/sign_matrix.h"

namespace signcut {

// The most vectors one call takes (Tensor-level callers split larger batches).
inline constexpr std::size_t kMaxProductBatch = 64;

// y = M·x with x (M.cols() × batch) and y (M.rows() × batch) row-major, as numpy stores an
// n × b array: entry i of vector v at x[i·batch + v]. 1 ≤ batch ≤ kMaxProductBatch; throws
// std::invalid_argument for a batch out of range or spans of the wrong size.
void sign_matrix_product(const SignMatrix& m, std::span<const float> x, std::size_t batch, std::span<float> y,
                         const Kernels& kernels = active_kernels());

// The same for any batch ≥ 1: column slices of at most kMaxProductBatch vectors, one
// `product(x_slice, slice_batch, y_slice)` call each (the slices copied in and out).
void product_in_batches(std::size_t x_rows, std::size_t y_rows, std::span<const float> x, std::size_t batch,
                        std::span<float> y,
                        const std::function<void(std::span<const float>, std::size_t, std::span<float>)>& product);

}  // namespace signcut
