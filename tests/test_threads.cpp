// Linked into every test. SIGNCUT_TEST_THREADS=N limits oneTBB to N threads for the test
// executable's whole life: 1 runs every parallel loop on one thread; a number above the core
// count lets the arenas that ask for more threads (DecomposeOptions::threads,
// ModelCompressionOptions::threads, task_arena(n) in the tests) have them all, oversubscribing
// the cores. Loops in oneTBB's default arenas still use at most one thread per core.
// Unset: oneTBB's defaults. See docs/reliability.md.
#include <oneapi/tbb/global_control.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

std::unique_ptr<oneapi::tbb::global_control> threads_from_environment() {
    const char* value = std::getenv("SIGNCUT_TEST_THREADS");
    if (!value || !*value) return nullptr;
    char* end = nullptr;
    const long threads = std::strtol(value, &end, 10);
    if (*end || threads < 1 || threads > 1024) {
        std::fprintf(stderr, "SIGNCUT_TEST_THREADS=%s: give a number of threads from 1 to 1024\n", value);
        std::exit(2);
    }
    std::fprintf(stderr, "oneTBB limited to %ld thread%s (SIGNCUT_TEST_THREADS)\n", threads, threads == 1 ? "" : "s");
    return std::make_unique<oneapi::tbb::global_control>(oneapi::tbb::global_control::max_allowed_parallelism,
                                                         std::size_t(threads));
}

const auto test_threads = threads_from_environment();

}  // namespace
