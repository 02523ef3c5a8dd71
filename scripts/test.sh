#!/usr/bin/env bash
# Sets up, builds and runs every test: the README's test command (and CI's). After the normal
# build's suite it runs the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer
# and the threaded tests under ThreadSanitizer (scripts/test-sanitizers.sh);
# SIGNCUT_SKIP_SANITIZERS=1 skips that part for a quick local run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure --timeout 900
if [ "${SIGNCUT_SKIP_SANITIZERS:-0}" != 1 ]; then
  bash scripts/test-sanitizers.sh
fi
