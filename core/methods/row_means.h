#pragma once
// Row means taken out before a rotation: a rotation spreads a row's mean over all its entries,
// where a Gaussian quantiser pays for it at every entry; stored apart (one f16 a row) it costs
// 16 bits. Worth it when the means hold a real share of the energy (images: most of it).

#include <cstdint>
#include <vector>

#include "tensor/float16.h"
#include "tensor/tensor.h"

namespace signcut {

// Share of the energy above which the means are stored apart.
inline constexpr double kRowMeanShare = 0.05;  // i.i.d. rows of n entries hold 1/n

// Subtracts each row's f16-rounded mean from `matrix` when the means hold more than
// kRowMeanShare of its energy, and returns them (empty otherwise: nothing subtracted).
inline std::vector<float> take_out_row_means(Tensor& matrix) {
    const std::size_t rows = matrix.dim(0), cols = matrix.dim(1);
    std::vector<float> means(rows);
    double mean_energy = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        double sum = 0;
        for (std::size_t c = 0; c < cols; ++c) sum += matrix[r * cols + c];
        means[r] = f16_bits_to_float(float_to_f16_bits(float(sum / double(cols))));
        mean_energy += double(means[r]) * double(means[r]) * double(cols);
    }
    if (!(mean_energy > kRowMeanShare * matrix.squared_norm())) return {};
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) matrix[r * cols + c] -= means[r];
    return means;
}

// Adds the means back (nothing for an empty list).
inline void put_back_row_means(Tensor& matrix, const std::vector<float>& means) {
    const std::size_t cols = matrix.dim(1);
    for (std::size_t r = 0; r < means.size(); ++r)
        for (std::size_t c = 0; c < cols; ++c) matrix[r * cols + c] += means[r];
}

}  // namespace signcut
