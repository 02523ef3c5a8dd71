#!/usr/bin/env bash
# Sets up, builds and runs every test: the README's test command (and CI's). The normal build
# (CMakePresets.json: release) is built with -Werror. After its suite, and a build of the core
# alone without Qt (scripts/test-no-qt.sh), it runs the whole suite again under
# AddressSanitizer + UndefinedBehaviorSanitizer and the threaded tests under ThreadSanitizer
# (scripts/test-sanitizers.sh); SIGNCUT_SKIP_SANITIZERS=1 skips that part for a quick local run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh -DSIGNCUT_WERROR=ON  # warnings are errors here (they stay on in build/'s cache)
ctest --preset release
bash scripts/test-no-qt.sh  # the core without Qt, installed and used through find_package(signcut)
if [ "${SIGNCUT_SKIP_SANITIZERS:-0}" != 1 ]; then
  bash scripts/test-sanitizers.sh
fi
