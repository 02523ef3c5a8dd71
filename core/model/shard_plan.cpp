#include "model/shard_plan.h"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <stdexcept>

namespace signcut {

ShardSpec parse_shard_spec(const std::string& text) {
    const auto fail = [&] {
        throw std::invalid_argument("a shard is K/N with 0 <= K < N (e.g. 0/4), not '" + text + "'");
    };
    const std::size_t slash = text.find('/');
    if (slash == std::string::npos) fail();
    ShardSpec spec;
    const char* end = text.data() + text.size();
    const auto k = std::from_chars(text.data(), text.data() + slash, spec.index);
    const auto n = std::from_chars(text.data() + slash + 1, end, spec.count);
    if (k.ec != std::errc() || k.ptr != text.data() + slash || n.ec != std::errc() || n.ptr != end) fail();
    if (spec.count == 0 || spec.count > 100000 || spec.index >= spec.count) fail();
    return spec;
}

std::vector<std::size_t> plan_shards(const std::vector<double>& costs, std::size_t count) {
    if (count == 0) throw std::invalid_argument("plan_shards: no shards");
    std::vector<std::size_t> order(costs.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
    std::vector<double> load(count, 0.0);
    std::vector<std::size_t> shard_of(costs.size());
    for (std::size_t job : order) {
        const auto lightest = std::size_t(std::min_element(load.begin(), load.end()) - load.begin());
        shard_of[job] = lightest;
        load[lightest] += costs[job];
    }
    return shard_of;
}

}  // namespace signcut
