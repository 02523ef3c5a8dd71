#!/usr/bin/env bash
# Configures the build folder of a preset of CMakePresets.json (release: build/, asan: build-asan/,
# tsan: build-tsan/, fuzz: build-fuzz/, no-qt: build-no-qt/), with ccache as the compiler
# launcher when it is installed. Further arguments go to cmake, e.g. -DSIGNCUT_WERROR=ON.
#   bash scripts/configure.sh PRESET [CMAKE_ARGS ...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="$1"
shift
launcher=(-UCMAKE_CXX_COMPILER_LAUNCHER)
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake --preset "$preset" "${launcher[@]}" "$@"
