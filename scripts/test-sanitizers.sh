#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer
# included), then the threaded tests (engine, GUI workers, model compression) under
# ThreadSanitizer. Any report fails the run. Part of scripts/test.sh; run alone after setup.sh.
# The Python module and its pytest suite are not part of these builds (CMakeLists.txt skips
# python/ when SIGNCUT_SANITIZE is set): an instrumented extension in an uninstrumented
# interpreter aborts at import. The C++ code they call is what the Qt Test suites cover here.
# Both use the presets asan and tsan of CMakePresets.json (build folders, flags, the test
# environment: sanitizer options, suppressions and SIGNCUT_TEST_TIME_SCALE=10, which lets the one
# latency bound in the tests, a cancel, allow for the slowdown).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"

bash scripts/configure.sh asan > /dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan

bash scripts/configure.sh tsan > /dev/null
cmake --build --preset tsan -j "$jobs"  # the threaded tests only
ctest --preset tsan
