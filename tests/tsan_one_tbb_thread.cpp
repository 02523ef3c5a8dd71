// Linked into the tests of a ThreadSanitizer build only. Debian's oneTBB is not built with
// ThreadSanitizer, so the synchronisation inside its scheduler (the join at the end of every
// parallel_for) is invisible to it and every result handed across a join would be reported.
// This limits oneTBB to one thread for the whole process; what ThreadSanitizer then checks is
// the concurrency signcut creates itself: the GUI's worker threads, cancel flags, results
// queued to the GUI thread, the memory gate of compress-model.
#include <oneapi/tbb/global_control.h>

namespace {

const oneapi::tbb::global_control one_tbb_thread(oneapi::tbb::global_control::max_allowed_parallelism, 1);

}  // namespace
