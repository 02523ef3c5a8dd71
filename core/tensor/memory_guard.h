#pragma once
// A bound on the memory one operation may take, checked before allocating, so a huge or
// malicious input is refused with a clear message instead of exhausting the machine.
// The bound is SIGNCUT_MEMORY_LIMIT_MB if set, else 80% of the machine's physical memory.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace signcut {

// What was refused, with the estimate and the limit.
class ResourceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::uint64_t memory_limit_bytes();

// Throws ResourceError("<what> needs about X MiB, above the memory limit of Y MiB …") when
// bytes exceeds the limit.
void require_memory(std::uint64_t bytes, const std::string& what);

}  // namespace signcut
