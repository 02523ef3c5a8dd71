// Linked into the tests of a ThreadSanitizer build only. Debian's oneTBB is not built with
// ThreadSanitizer, so the synchronisation inside its scheduler (the join at the end of every
// parallel_for) is invisible to it and every result handed across a join would be reported.
// This limits oneTBB to one thread for the whole process; what ThreadSanitizer then checks is
// the concurrency signcut creates itself: the GUI thread against the explorer's worker threads
// (job ids, cancel flags, the engine cancelled from another thread, results queued to the GUI
// thread). No two oneTBB tasks run at once, so the engine's parallel passes and compress-model's
// tensors in flight (its memory gate) are not checked here; docs/reliability.md says what is.
#include <oneapi/tbb/global_control.h>

namespace {

const oneapi::tbb::global_control one_tbb_thread(oneapi::tbb::global_control::max_allowed_parallelism, 1);

}  // namespace
