// Linked into the tests of a ThreadSanitizer build only. Debian's oneTBB is not built with
// ThreadSanitizer, so the synchronisation inside its scheduler (the join at the end of every
// parallel_for) is invisible to it and every result handed across a join would be reported.
// This limits oneTBB to one thread for the whole process; what ThreadSanitizer then checks is
// the concurrency signcut creates itself: the GUI thread against the explorer's worker threads
// (job ids, cancel flags, the engine cancelled from another thread, results queued to the GUI
// thread). No two oneTBB tasks run at once, so the engine's parallel passes and compress-model's
// tensors in flight (its memory gate) are not checked here; docs/reliability.md says what is.
// SIGNCUT_TSAN_ALL_TBB_THREADS=1 in the environment lifts the limit (SIGNCUT_TEST_THREADS then
// applies), for a oneTBB built with -fsanitize=thread.
#include <oneapi/tbb/global_control.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace {

std::unique_ptr<oneapi::tbb::global_control> one_tbb_thread() {
    const char* lifted = std::getenv("SIGNCUT_TSAN_ALL_TBB_THREADS");
    if (lifted && std::strcmp(lifted, "1") == 0) return nullptr;
    return std::make_unique<oneapi::tbb::global_control>(oneapi::tbb::global_control::max_allowed_parallelism, 1);
}

const auto limit = one_tbb_thread();

}  // namespace
