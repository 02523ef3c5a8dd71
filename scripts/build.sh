#!/usr/bin/env bash
# Configures and builds signcut (Release, the preset "release") into build/. Arguments go to the
# configure step (scripts/test.sh adds -DSIGNCUT_WERROR=ON; the setting stays in build/'s cache).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/configure.sh release "$@"
cmake --build --preset release -j "$(nproc)"
