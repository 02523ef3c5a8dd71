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

}  // namespace signcut
