#!/usr/bin/env bash
# Runs the normal build's C++ test suite PASSES times (default 5) with oneTBB limited to each of
# the thread counts (default 1, 2 and 8: one thread, two, more than the cores), one test at a time
# so the counts are what they say (tests/test_threads.cpp reads SIGNCUT_TEST_THREADS). Stops at
# the first failure. The pytest suite and the Slurm test do not read SIGNCUT_TEST_THREADS and are
# left out. Prints the time of every pass. Run scripts/build.sh first. Not part of CI (see
# docs/reliability.md for how long it takes).
#   bash scripts/test-threads.sh [PASSES] [THREAD_COUNTS]      e.g. bash scripts/test-threads.sh 1 "2 8"
set -euo pipefail
cd "$(dirname "$0")/.."
passes="${1:-5}"
read -r -a counts <<< "${2:-1 2 8}"
for threads in "${counts[@]}"; do
  for ((pass = 1; pass <= passes; ++pass)); do
    start=$SECONDS
    if ! SIGNCUT_TEST_THREADS="$threads" ctest --preset release -j1 -E '^(python|slurm_array_test)$' \
        --stop-on-failure > "build/test-threads-$threads.log" 2>&1; then
      tail -40 "build/test-threads-$threads.log"
      echo "test-threads: FAILED at $threads thread(s), pass $pass of $passes (build/test-threads-$threads.log)"
      exit 1
    fi
    echo "test-threads: $threads thread(s), pass $pass of $passes: passed in $((SECONDS - start)) s"
  done
done
echo "test-threads: every pass passed (${counts[*]} threads, $passes each)"
