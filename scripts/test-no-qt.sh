#!/usr/bin/env bash
# Shows that signcut_core builds without Qt and works as an installed CMake package: configures
# build-no-qt/ (preset no-qt: SIGNCUT_BUILD_GUI=OFF and find_package(Qt6) disabled), builds
# signcut_core, installs it (component core) into build-no-qt/prefix, then builds examples/cmake/
# (find_package(signcut) + signcut::core) against that prefix and runs it. Part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

# -Werror as in scripts/test.sh's build: the same flags, so ccache serves the core's objects from it.
bash scripts/configure.sh no-qt -DSIGNCUT_WERROR=ON > /dev/null
cmake --build --preset no-qt -j "$(nproc)"
prefix="$PWD/build-no-qt/prefix"
rm -rf "$prefix"
cmake --install build-no-qt --prefix "$prefix" --component core > /dev/null
cmake -S examples/cmake -B build-no-qt/example -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  "${launcher[@]}" > /dev/null
cmake --build build-no-qt/example
./build-no-qt/example/decompose_gaussian
echo "no-qt: signcut_core built without Qt, installed to $prefix and used through find_package(signcut)"
