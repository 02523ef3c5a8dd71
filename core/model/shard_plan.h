#pragma once
// How the tensors of one compression are split among N processes (--shard K/N). Every process
// computes the plan itself from the checkpoint and the settings alone, so all agree without
// talking to each other.

#include <cstddef>
#include <string>
#include <vector>

namespace signcut {

// Process `index` of `count` (0 ≤ index < count).
struct ShardSpec {
    std::size_t index = 0, count = 1;
    std::string label() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// Parses "K/N"; throws std::invalid_argument unless 0 ≤ K < N ≤ 100000.
ShardSpec parse_shard_spec(const std::string& text);

// The shard of each job, given its expected cost (entries × bits per entry): largest first,
// each to the shard with the least cost so far (the lowest index on ties; equal costs keep
// their order). The longest shard then costs at most the mean plus the largest job.
std::vector<std::size_t> plan_shards(const std::vector<double>& costs, std::size_t count);

}  // namespace signcut
