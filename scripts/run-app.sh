#!/usr/bin/env bash
# Sets up, builds and launches the signcut explorer on the bundled cat photo
# (or on the files given as arguments).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec ./build/app/gui/signcut "$@"
