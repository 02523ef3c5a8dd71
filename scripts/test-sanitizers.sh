#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer
# included), then the threaded tests (the engine, the trellis and the methods' parallel
# products, compress-model, the GUI workers) under ThreadSanitizer at 2 and 4 oneTBB threads,
# against a oneTBB built with ThreadSanitizer from Debian's source package
# (scripts/onetbb-tsan.sh; built once into a cache outside the clone). Any report fails the run.
# Part of CI (.ci/run), not of scripts/test.sh (these builds take most of CI's time); run it
# after scripts/setup.sh. Prints the time of each part.
# SIGNCUT_TSAN_THREADS="2 4" (the default) sets the oneTBB thread counts of the TSan runs. CI
# sets 1, to fit its time limit (docs/reliability.md): then only the tests whose own threads
# race (the GUI workers, a cancel from another thread, compress-model) run, as before oneTBB was
# instrumented.
# The Python module and its pytest suite are not part of these builds (CMakeLists.txt skips
# python/ when SIGNCUT_SANITIZE is set): an instrumented extension in an uninstrumented
# interpreter aborts at import. The C++ code they call is what the Qt Test suites cover here.
# Both use the presets asan and tsan of CMakePresets.json (build folders, flags, the test
# environment: sanitizer options, suppressions and SIGNCUT_TEST_TIME_SCALE=10, which lets the
# latency bounds in the tests allow for the slowdown).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
start=$SECONDS
bash scripts/configure.sh asan > /dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan
echo "test-sanitizers: ASan + UBSan + LSan passed in $((SECONDS - start)) s"

start=$SECONDS
tbb=$(bash scripts/onetbb-tsan.sh)
echo "test-sanitizers: oneTBB with ThreadSanitizer in $tbb ($((SECONDS - start)) s)"
start=$SECONDS
bash scripts/configure.sh tsan -DTBB_DIR="$tbb/lib/cmake/TBB" > /dev/null
cmake --build --preset tsan -j "$jobs"  # the threaded tests only
# The instrumented oneTBB must be the one loaded: against Debian's, TSan sees none of its joins.
ldd build-tsan/tests/test_decomposition | grep -q "$tbb/lib/libtbb" ||
  { echo "test-sanitizers: build-tsan is not linked against $tbb" >&2; exit 1; }
echo "test-sanitizers: TSan build in $((SECONDS - start)) s"
read -r -a counts <<< "${SIGNCUT_TSAN_THREADS:-2 4}"
for threads in "${counts[@]}"; do
  start=$SECONDS
  only=()  # at one thread the trellis and the methods start no thread: nothing for TSan to see
  [ "$threads" = 1 ] && only=(-E '^(test_trellis|test_methods)$')
  # SIGNCUT_TSAN_ALL_TBB_THREADS=1 lifts tests/tsan_one_tbb_thread.cpp's pin to one thread.
  SIGNCUT_TSAN_ALL_TBB_THREADS=1 SIGNCUT_TEST_THREADS=$threads ctest --preset tsan "${only[@]}"
  echo "test-sanitizers: TSan at $threads oneTBB threads passed in $((SECONDS - start)) s"
done
