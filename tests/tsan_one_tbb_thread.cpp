// Linked into the tests of a ThreadSanitizer build only. Against Debian's oneTBB, which is not
// built with ThreadSanitizer, the synchronisation inside its scheduler (the join at the end of
// every parallel_for) is invisible to it and every result handed across a join would be
// reported; so by default this limits oneTBB to one thread for the whole process, and what TSan
// checks is the concurrency signcut creates itself (the GUI thread against the explorer's
// worker threads). scripts/test-sanitizers.sh links the tsan build against a oneTBB built with
// -fsanitize=thread (scripts/onetbb-tsan.sh) and sets SIGNCUT_TSAN_ALL_TBB_THREADS=1, which
// lifts the limit (SIGNCUT_TEST_THREADS then applies): the engine's parallel passes, the
// trellis' and methods' parallel loops and compress-model's tensors in flight are checked too.
// docs/reliability.md says what is covered.
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
