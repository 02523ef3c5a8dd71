#include "methods/entries_apart.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "io/bit_stream.h"
#include "scd/decomposition.h"
#include "tensor/float16.h"

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
    out.entries_apart = count;
    if (!out.payload.empty()) {
        std::vector<char> section = entries_apart_section(a.size(), apart, values);
        if (8 * section.size() != apart_bits)
            throw std::logic_error("entries apart: the section differs from its bit count");
        section.insert(section.end(), out.payload.begin(), out.payload.end());
        out.payload = std::move(section);
    }
    return out;
}

std::vector<char> entries_apart_section(std::uint64_t entries, std::span<const std::uint64_t> indices,
                                        std::span<const float> values) {
    BitWriter out;
    for (std::uint64_t field :
         {std::uint64_t(indices.size()), std::uint64_t(1), std::uint64_t(0), std::uint64_t(indices.size())})
        out.put(field, 64);
    const auto index_bits = unsigned(outlier_index_bits(entries));
    for (std::uint64_t i : indices) out.put(i, index_bits);
    if (out.bits_written() % 8) out.put(0, unsigned(8 - out.bits_written() % 8));
    for (float v : values) out.put_f16(float_to_f16_bits(v));
    return out.finish();
}

Tensor load_with_entries_apart(std::span<const char> payload, const Shape& shape, std::size_t count,
                               Tensor (*load)(std::span<const char>, const Shape&)) {
    if (count == 0) return load(payload, shape);
    const auto fail = [](const std::string& problem) { throw std::invalid_argument("entries apart: " + problem); };
    const std::uint64_t entries = element_count(shape);
    const std::uint64_t index_bits = outlier_index_bits(entries);
    if (count > entries) fail("more entries apart than the tensor has");
    const std::uint64_t bytes = 32 + (count * index_bits + 7) / 8 + 2 * std::uint64_t(count);
    if (payload.size() < bytes) fail("truncated section");
    BitReader in(payload.first(bytes));
    const std::uint64_t stored_count = in.get_u64(), batches = in.get_u64(), width = in.get_u64(),
                        batch_count = in.get_u64();
    if (stored_count != count || batches != 1 || width != 0 || batch_count != count)
        fail("the section's counts differ from the index's " + std::to_string(count));
    std::vector<std::uint64_t> indices(count);
    for (std::uint64_t& i : indices) {
        i = in.get(unsigned(index_bits));
        if (i >= entries || (&i != indices.data() && i <= (&i)[-1])) fail("indices not increasing within the tensor");
    }
    if (in.consumed_bits() % 8) in.get(unsigned(8 - in.consumed_bits() % 8));
    Tensor out = load(payload.subspan(bytes), shape);
    for (std::uint64_t i : indices) out[i] += f16_bits_to_float(std::uint16_t(in.get(16)));
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
