#!/usr/bin/env bash
# Builds Debian's own oneTBB (the source package of the installed libtbb-dev, with Debian's
# patches) with -fsanitize=thread into a cache folder outside the clone and prints the folder;
# scripts/test-sanitizers.sh links the tsan build against it. ThreadSanitizer cannot see the
# synchronisation inside an uninstrumented oneTBB (the hand-off of a task to a thief, the join
# at the end of a parallel_for), so with Debian's libtbb the TSan build could only run oneTBB on
# one thread (docs/reliability.md). The folder is named after Debian's version: reused while it
# is the installed one, built anew when an upgrade changes it.
#   bash scripts/onetbb-tsan.sh      e.g. /var/cache/signcut/onetbb-tsan-2021.8.0-2+deb12u1
# SIGNCUT_CACHE moves the cache (default /var/cache/signcut). Progress goes to stderr.
set -euo pipefail
version=$(dpkg-query -W -f='${Version}' libtbb-dev)
prefix="${SIGNCUT_CACHE:-/var/cache/signcut}/onetbb-tsan-$version"
if [ -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ]; then
  echo "$prefix"
  exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
exec 3>&1 1>&2  # everything but the folder's name to stderr

# apt-get source needs deb-src entries, which Debian's images leave out: the deb entries again
# (same mirrors and suites) as deb-src, in files of our own, once.
if ! ls /etc/apt/sources.list.d/signcut-deb-src.* > /dev/null 2>&1; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then  # Debian 12's deb822 format
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      $sudo tee /etc/apt/sources.list.d/signcut-deb-src.sources > /dev/null
  fi
  if [ -f /etc/apt/sources.list ]; then  # the one-line format
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | $sudo tee /etc/apt/sources.list.d/signcut-deb-src.list > /dev/null
  fi
  $sudo apt-get update
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source "libtbb-dev=$version")  # fetches onetbb's source and applies Debian's patches
source_dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'onetbb-*')
launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
# TBB_STRICT=OFF: its -Werror turns GCC's "atomic_thread_fence is not supported with
# -fsanitize=thread" warning into an error. Only libtbb itself: no tbbmalloc, tests or examples.
cmake -S "$source_dir" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_SANITIZE=thread \
  -DTBB_STRICT=OFF -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBBMALLOC_BUILD=OFF -DTBBMALLOC_PROXY_BUILD=OFF \
  "${launcher[@]}"
cmake --build "$work/build" -j "$(nproc)"
# Installed beside, then renamed: the folder exists only complete.
$sudo rm -rf "$prefix" "$prefix.partial"
$sudo cmake --install "$work/build" --prefix "$prefix.partial"
$sudo mv "$prefix.partial" "$prefix"
echo "$prefix" >&3
