#!/usr/bin/env bash
# The README's test command: sets up, builds the normal build (CMakePresets.json: release) with
# -Werror and runs the whole normal suite: the C++ tests, the pytest suite and the Slurm test
# (all through CTest), then signcut_core built without Qt and used as an installed package
# (scripts/test-no-qt.sh). Prints how long each part took. The slower checks are separate:
# scripts/test-isa.sh (the suite on the other kernel paths) and scripts/test-sanitizers.sh
# (ASan + UBSan + LSan, TSan); CI (.ci/run) runs all three.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"  # cache hits across clones in other folders
times=()
step() {  # step NAME COMMAND...: runs it and notes its time
  local start=$SECONDS name="$1"
  shift
  "$@"
  times+=("$name $((SECONDS - start)) s")
}
step setup bash scripts/setup.sh
step build bash scripts/build.sh -DSIGNCUT_WERROR=ON  # warnings are errors here (they stay on in build/'s cache)
step suite ctest --preset release
step no-qt bash scripts/test-no-qt.sh  # the core without Qt, installed and used through find_package(signcut)
echo "test: passed (${times[*]/%/,} ${SECONDS} s in all)"
