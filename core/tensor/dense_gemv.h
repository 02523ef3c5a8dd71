#pragma once
// The rivals of the products from the bits (scd/scd_product.h) in `signcut-cli bench --products`
// and the explorer's readout: dense GEMVs over the same matrix shape on every core (oneTBB,
// fixed row blocks).
//   Bf16Gemv: weights held in bf16, sums in f32, with the best kernel this CPU has:
//     AVX-512 BF16 (vdpbf16ps; x rounded to bf16 once per product, as bf16 inference does),
//     else AVX2 (weights widened to f32 and FMA'd with x), else scalar.
//   F32Gemv: weights in f32, each row block one Eigen product (OpenBLAS sgemv / sgemm on one
//     thread, as the build configures it), the blocks on oneTBB.
// x and y are row-major (n × batch, as the products take them); each converts x to the layout
// its kernel prefers inside the timed call.

#include <Eigen/Dense>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace signcut {

class Bf16Gemv {
public:
    // A rows × cols matrix of random bf16 values (the time does not depend on them).
    Bf16Gemv(std::size_t rows, std::size_t cols, std::uint64_t seed);
    void apply(std::span<const float> x, std::size_t batch, std::span<float> y) const;
    std::size_t bytes() const { return weights_.size() * sizeof(std::uint16_t); }
    // "avx512bf16", "avx2" or "scalar".
    static std::string kernel_name();

private:
    std::size_t rows_, cols_;
    std::vector<std::uint16_t> weights_;  // row-major bf16 bits
};

class F32Gemv {
public:
    F32Gemv(std::size_t rows, std::size_t cols, std::uint64_t seed);
    void apply(std::span<const float> x, std::size_t batch, std::span<float> y) const;
    std::size_t bytes() const { return std::size_t(weights_.size()) * sizeof(float); }
    std::span<const float> weights() const { return {weights_.data(), std::size_t(weights_.size())}; }

private:
    using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    RowMatrix weights_;
};

}  // namespace signcut
