#!/usr/bin/env bash
# clang-tidy with the checks of .clang-tidy over core/ (or the paths matching the regular
# expressions given), using build/'s
# compile_commands.json (run scripts/build.sh first). Needs Debian's clang-tidy package.
# Not part of CI: it parses Eigen and oneTBB anew for every file, about 10 CPU minutes over core/
# (54 minutes at -j1 on the shared 2-core VM, 2026-11-28). That run found one bugprone-integer-division,
# intended and rewritten (core/methods/image_quality.cpp), and nothing else in the checks kept.
#   bash scripts/tidy.sh [PATH_REGEX ...]      e.g. bash scripts/tidy.sh core/io/
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/compile_commands.json ] || { echo "tidy: no build/compile_commands.json; run scripts/build.sh" >&2; exit 2; }
paths=("$@")
((${#paths[@]})) || paths=("$PWD/core/")
run-clang-tidy -quiet -p build -j "$(nproc)" "${paths[@]}"
