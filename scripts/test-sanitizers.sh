#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer
# included), then the threaded tests (engine, GUI workers, model compression) under
# ThreadSanitizer. Any report fails the run. Part of scripts/test.sh; run alone after setup.sh.
# The Python module and its pytest suite are not part of these builds (CMakeLists.txt skips
# python/ when SIGNCUT_SANITIZE is set): an instrumented extension in an uninstrumented
# interpreter aborts at import. The C++ code they call is what the Qt Test suites cover here.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1")
jobs="$(nproc)"
export SIGNCUT_TEST_TIME_SCALE=10  # the one latency bound in the tests (cancel) allows for the slowdown

cmake -S . -B build-asan "${flags[@]}" -DSIGNCUT_SANITIZE=address,undefined > /dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
LSAN_OPTIONS=suppressions="$PWD/scripts/sanitizers/lsan.supp":print_suppressions=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure --timeout 1800

threaded="test_decomposition|test_explorer|test_comparison|test_model"
cmake -S . -B build-tsan "${flags[@]}" -DSIGNCUT_SANITIZE=thread > /dev/null
cmake --build build-tsan -j "$jobs" --target test_decomposition test_explorer test_comparison test_model
TSAN_OPTIONS=suppressions="$PWD/scripts/sanitizers/tsan.supp":halt_on_error=1:second_deadlock_stack=1 \
  ctest --test-dir build-tsan --output-on-failure --timeout 1800 -R "$threaded"
