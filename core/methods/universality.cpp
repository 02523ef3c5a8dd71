#include "methods/universality.h"

#include "tensor/random_tensor.h"

namespace signcut {

std::vector<UniversalityCase> one_code_for_all(const Tensor& a, const std::string& method, double bits_per_entry,
                                               std::uint64_t seed) {
    const std::pair<std::string, Tensor> inputs[] = {
        {"this data", a},
        {"i.i.d. Gaussian 256×256", gaussian_tensor({256, 256}, seed)},
        {"Gaussian, rows scaled 0.3…3", row_scaled_gaussian_tensor({256, 256}, 0.3, 3.0, seed)},
    };
    std::vector<UniversalityCase> cases;
    for (const auto& [name, data] : inputs) {
        if (data.size() == 0) continue;
        const Approximation result = approximate(method, data, bits_per_entry, seed);
        if (!result.met_budget) continue;
        UniversalityCase c{name, double(result.bits) / double(data.size()),
                           relative_error(data, result.reconstruction)};
        c.bits_above_iid_floor = bits_above_iid_floor(c.bits_per_entry, c.relative_error);
        cases.push_back(c);
    }
    return cases;
}

}  // namespace signcut
