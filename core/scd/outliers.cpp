#include "scd/outliers.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <oneapi/tbb/parallel_for.h>

#include "scd/decomposition.h"

namespace signcut {

OutlierPolicy parse_outlier_policy(std::string_view text) {
    if (text == "auto") return {.automatic = true};
    std::size_t count = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw std::invalid_argument("outliers must be auto or a count of entries (0: none), not '" +
                                    std::string(text) + "'");
    return {.count = count};
}

std::string outlier_policy_name(const OutlierPolicy& policy) {
    return policy.automatic ? "auto" : std::to_string(policy.count);
}

std::size_t outlier_index_bits(std::uint64_t entries) {
    return std::max<std::size_t>(1, std::size_t(std::bit_width(entries > 0 ? entries - 1 : 0)));
}

CoeffPrecision outlier_value_precision(CoeffPrecision coefficients) {
    return coefficients == CoeffPrecision::f32 ? CoeffPrecision::f32 : CoeffPrecision::f16;
}

std::size_t outlier_bits(std::uint64_t entries, CoeffPrecision precision) {
    return outlier_index_bits(entries) + 8 * coefficient_bytes(outlier_value_precision(precision));
}

std::vector<std::uint64_t> largest_entries(const Tensor& a, std::size_t count) {
    const std::span<const float> values = a.data();
    count = std::min(count, values.size());
    std::vector<std::uint64_t> order(values.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto larger = [&](std::uint64_t x, std::uint64_t y) {
        const float ax = std::abs(values[x]), ay = std::abs(values[y]);
        return ax != ay ? ax > ay : x < y;
    };
    std::nth_element(order.begin(), order.begin() + std::ptrdiff_t(count), order.end(), larger);
    order.resize(count);
    std::sort(order.begin(), order.end());
    return order;
}

std::string describe_outliers(std::span<const Decomposition> parts, std::size_t w) {
    std::size_t count = 0;
    double bits = 0.0, entries = 0.0;
    for (const Decomposition& d : parts) {
        count += d.outlier_count(w);
        bits += 8.0 * double(d.stored_bytes(w) - scd_file_bytes(d.shape(), w, d.precision()));
        entries += double(d.entries());
    }
    char text[96];
    std::snprintf(text, sizeof text, "%zu (%.2g %%), %.3f b/e", count, 100.0 * double(count) / entries,
                  bits / entries);
    return text;
}

void find_entries_above(std::span<const float> data, double squared_threshold, std::vector<std::uint64_t>& indices,
                        std::vector<float>& values) {
    // Most chunks hold no such entry: a branch-free count first, the positions only where it found some.
    constexpr std::size_t kChunk = std::size_t(1) << 14;
    const std::size_t chunks = (data.size() + kChunk - 1) / kChunk;
    const float threshold = float(std::sqrt(squared_threshold));
    std::vector<std::vector<std::uint64_t>> found(chunks);
    tbb::parallel_for(std::size_t(0), chunks, [&](std::size_t chunk) {
        const std::size_t begin = chunk * kChunk, end = std::min(data.size(), begin + kChunk);
        std::size_t count = 0;
        for (std::size_t i = begin; i < end; ++i) count += std::abs(data[i]) > threshold;
        if (count == 0) return;
        for (std::size_t i = begin; i < end; ++i)
            if (double(data[i]) * double(data[i]) > squared_threshold) found[chunk].push_back(i);
    });
    for (const std::vector<std::uint64_t>& chunk : found)
        for (std::uint64_t i : chunk) indices.push_back(i), values.push_back(data[i]);
}

}  // namespace signcut
