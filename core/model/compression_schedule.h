#pragma once
// Running the tensors of a compression in parallel within a memory limit: a oneTBB
// parallel_pipeline whose token count is how many tensors may be in flight at once, the
// largest k for which the k largest memory needs fit the limit together (at least 1). No
// worker ever blocks waiting for memory; the pipeline simply holds no more tokens.

#include <cstdint>
#include <functional>
#include <vector>

namespace signcut {

// Calls body(i) for every i of `jobs` (in parallel; started in their order) with at most
// tensors_in_flight(…) of them at once. An exception from a body cancels the rest and is rethrown.
void run_within_memory(const std::vector<std::size_t>& jobs, const std::function<std::uint64_t(std::size_t)>& memory_of,
                       std::uint64_t memory_limit, const std::function<void(std::size_t)>& body);

// The token count: the largest k with the k largest of `memory` summing to ≤ limit (≥ 1).
std::size_t tensors_in_flight(std::vector<std::uint64_t> memory, std::uint64_t limit);

}  // namespace signcut
