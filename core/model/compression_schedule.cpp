#include "model/compression_schedule.h"

#include <oneapi/tbb/parallel_pipeline.h>

#include <algorithm>
#include <functional>

namespace signcut {

std::size_t tensors_in_flight(std::vector<std::uint64_t> memory, std::uint64_t limit) {
    std::sort(memory.begin(), memory.end(), std::greater<>());
    std::size_t count = 0;
    std::uint64_t sum = 0;
    for (std::uint64_t m : memory) {
        if (sum + m > limit) break;
        sum += m;
        ++count;
    }
    return std::max<std::size_t>(count, 1);
}

void run_within_memory(const std::vector<std::size_t>& jobs, const std::function<std::uint64_t(std::size_t)>& memory_of,
                       std::uint64_t memory_limit, const std::function<void(std::size_t)>& body) {
    if (jobs.empty()) return;
    std::vector<std::uint64_t> memory;
    for (std::size_t job : jobs) memory.push_back(memory_of(job));
    std::size_t next = 0;
    oneapi::tbb::parallel_pipeline(
        tensors_in_flight(memory, memory_limit),
        oneapi::tbb::make_filter<void, std::size_t>(oneapi::tbb::filter_mode::serial_in_order,
                                                    [&](oneapi::tbb::flow_control& control) -> std::size_t {
                                                        if (next == jobs.size()) {
                                                            control.stop();
                                                            return 0;
                                                        }
                                                        return jobs[next++];
                                                    }) &
            oneapi::tbb::make_filter<std::size_t, void>(oneapi::tbb::filter_mode::parallel, body));
}

}  // namespace signcut
