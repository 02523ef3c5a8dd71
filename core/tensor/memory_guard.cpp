#include "tensor/memory_guard.h"

#include <unistd.h>

#include <cstdlib>

namespace signcut {

std::uint64_t memory_limit_bytes() {
    if (const char* text = std::getenv("SIGNCUT_MEMORY_LIMIT_MB")) {
        char* end = nullptr;
        const unsigned long long mib = std::strtoull(text, &end, 10);
        if (end != text && *end == '\0' && mib > 0) return std::uint64_t(mib) << 20;
    }
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page <= 0) return std::uint64_t(8) << 30;  // unknown: assume a small machine
    return std::uint64_t(pages) * std::uint64_t(page) / 5 * 4;
}

void require_memory(std::uint64_t bytes, const std::string& what) {
    const std::uint64_t limit = memory_limit_bytes();
    if (bytes <= limit) return;
    throw ResourceError(what + " needs about " + std::to_string((bytes >> 20) + 1) +
                        " MiB, above the memory limit of " + std::to_string(limit >> 20) +
                        " MiB (set SIGNCUT_MEMORY_LIMIT_MB to change it)");
}

}  // namespace signcut
