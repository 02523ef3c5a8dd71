#!/usr/bin/env bash
# Installs the Debian 12 packages signcut needs, if any are missing.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config ccache qt6-base-dev qt6-charts-dev qt6-svg-dev libopencv-dev libeigen3-dev libtbb-dev
          libbenchmark-dev nlohmann-json3-dev zlib1g-dev libgif-dev libopenblas-pthread-dev xvfb xauth
          slurm-wlm munge  # a single-node Slurm for the sharded compress-model test (tests/slurm_array_test.sh)
          pybind11-dev python3-dev python3-numpy python3-pytest python3-matplotlib)  # the Python module: python/
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
fi
