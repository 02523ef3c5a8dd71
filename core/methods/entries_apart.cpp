#include "methods/entries_apart.h"

#include <string>
#include <vector>

#include "scd/decomposition.h"

namespace signcut {

Approximation approximate_with_entries_apart(const Tensor& a, const MethodOptions& options, MethodFunction method,
                                             std::size_t count) {
    if (count == 0) return method(a, options);
    // The bits of the section a .scd file would give them (f16 values beside f16 coefficients).
    const std::uint64_t apart_bits = 8 * (scd_file_bytes(a.shape(), 0, CoeffPrecision::f16, count, 1) -
                                          scd_file_bytes(a.shape(), 0, CoeffPrecision::f16));
    MethodOptions rest = options;
    rest.bits_per_entry -= double(apart_bits) / double(a.size());
    if (!(rest.bits_per_entry > 0)) return unmet("no bits left beside " + std::to_string(count) + " entries apart");
    const std::vector<std::uint64_t> apart = largest_entries(a, count);
    Tensor remainder = a;
    std::vector<float> values;
    for (std::uint64_t i : apart) {
        values.push_back(round_to_precision(a[i], CoeffPrecision::f16));
        remainder[i] -= values.back();
    }
    Approximation out = method(remainder, rest);
    if (!out.met_budget) return out;
    for (std::size_t e = 0; e < apart.size(); ++e) out.reconstruction[apart[e]] += values[e];
    out.bits += apart_bits;
    out.note = std::to_string(count) + " entries apart; " + out.note;
    return out;
}

Approximation approximate_with_entries_apart(const Tensor& a, const MethodOptions& options, MethodFunction method) {
    if (!options.outliers.automatic) return approximate_with_entries_apart(a, options, method, options.outliers.count);
    Approximation best = method(a, options);
    for (const double fraction : {0.001, 0.003, 0.01}) {
        const auto count = std::size_t(fraction * double(a.size()));
        if (count == 0) continue;
        Approximation tried = approximate_with_entries_apart(a, options, method, count);
        if (tried.met_budget &&
            (!best.met_budget || relative_error(a, tried.reconstruction) < relative_error(a, best.reconstruction)))
            best = std::move(tried);
    }
    return best;
}

}  // namespace signcut
