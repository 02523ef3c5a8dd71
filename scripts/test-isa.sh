#!/usr/bin/env bash
# Runs the normal build's suite (C++ and pytest) again on the other kernel paths a user's CPU may
# take, forced by SIGNCUT_ISA: scalar always, and avx2 where the CPU has AVX-512 (the default
# run of scripts/test.sh takes the best path, so on such a CPU avx2 would otherwise go
# untested). test_kernels checks the forced path is the one that ran. The Slurm test is left
# out: it tests the job array, and its compress-model runs are covered by test_cli and pytest.
# Part of CI (.ci/run); run scripts/test.sh (or build.sh) first.
#   bash scripts/test-isa.sh [ISA ...]      e.g. bash scripts/test-isa.sh avx2
set -euo pipefail
cd "$(dirname "$0")/.."
isas=("$@")
if ((${#isas[@]} == 0)); then
  isas=(scalar)
  if grep -qw avx512f /proc/cpuinfo; then isas+=(avx2); fi
fi
for isa in "${isas[@]}"; do
  start=$SECONDS
  SIGNCUT_ISA="$isa" ctest --preset release -E '^slurm_array_test$'
  echo "test-isa: the suite passed with SIGNCUT_ISA=$isa in $((SECONDS - start)) s"
done
