#include "tensor/random_tensor.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

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

Tensor spiky_gaussian_tensor(const Shape& shape, double fraction, double scale, std::uint64_t seed) {
    Tensor tensor = gaussian_tensor(shape, seed);
    const auto spikes = std::size_t(std::clamp(fraction, 0.0, 1.0) * double(tensor.size()));
    const Tensor values = gaussian_tensor({std::max<std::size_t>(spikes, 1)}, seed ^ 0x5b1cull);
    // A partial Fisher–Yates shuffle picks `spikes` distinct positions.
    std::vector<std::size_t> positions(tensor.size());
    for (std::size_t i = 0; i < positions.size(); ++i) positions[i] = i;
    std::mt19937_64 rng(seed ^ 0x0a11ull);
    for (std::size_t k = 0; k < spikes; ++k) {
        const std::size_t pick = k + std::size_t(rng() % (positions.size() - k));
        std::swap(positions[k], positions[pick]);
        tensor[positions[k]] = float(scale) * values[k];
    }
    return tensor;
}

}  // namespace signcut
