#include "tensor/random_tensor.h"

#include <cmath>
#include <numbers>
#include <random>

namespace signcut {

Tensor gaussian_tensor(const Shape& shape, std::uint64_t seed) {
    Tensor tensor(shape);
    std::mt19937_64 rng(seed);
    // A uniform double in (0, 1] from the top 53 bits.
    const auto uniform = [&rng] { return (double(rng() >> 11) + 1.0) * 0x1.0p-53; };
    auto data = tensor.data();
    for (std::size_t i = 0; i < data.size(); i += 2) {
        const double radius = std::sqrt(-2.0 * std::log(uniform()));
        const double angle = 2.0 * std::numbers::pi * uniform();
        data[i] = float(radius * std::cos(angle));
        if (i + 1 < data.size()) data[i + 1] = float(radius * std::sin(angle));
    }
    return tensor;
}

Tensor row_scaled_gaussian_tensor(const Shape& shape, double lowest, double highest, std::uint64_t seed) {
    Tensor tensor = gaussian_tensor(shape, seed);
    std::mt19937_64 rng(seed ^ 0x5eedull);
    const std::size_t rows = shape.empty() ? 1 : shape.front(), per_row = rows ? tensor.size() / rows : 0;
    for (std::size_t r = 0; r < rows; ++r) {
        const double u = double(rng() >> 11) * 0x1.0p-53;  // uniform in [0, 1)
        const auto factor = float(lowest * std::pow(highest / lowest, u));
        for (std::size_t i = 0; i < per_row; ++i) tensor[r * per_row + i] *= factor;
    }
    return tensor;
}

}  // namespace signcut
