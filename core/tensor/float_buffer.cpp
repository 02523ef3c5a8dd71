#include "tensor/float_buffer.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace signcut::detail {
namespace {

std::align_val_t alignment_for(std::size_t bytes) {
    return std::align_val_t(bytes >= kHugePageThreshold ? kHugePageBytes : 64);
}

}  // namespace

void* allocate_floats(std::size_t bytes) {
    void* p = ::operator new(bytes, alignment_for(bytes));
#if defined(__linux__)
    // Only advice: where transparent huge pages are off, nothing changes.
    if (bytes >= kHugePageThreshold) madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

void free_floats(void* p, std::size_t bytes) { ::operator delete(p, alignment_for(bytes)); }

}  // namespace signcut::detail
