#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each reader's fuzzer for a
# bounded time from seed files made by signcut-cli. Crashing inputs land in
# fuzz/findings/<target>/; once fixed, copy them to fuzz/regressions/<target>/, where
# test_fuzz_regressions replays them in every test run.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET (default 60)] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(scd scdz npy csv safetensors image)

bash scripts/setup.sh
for package in clang libclang-rt-14-dev; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y clang libclang-rt-14-dev
  fi
done
bash scripts/build.sh  # the normal build makes the seed files
bash scripts/configure.sh fuzz > /dev/null  # build-fuzz/: clang, RelWithDebInfo, SIGNCUT_FUZZ=ON, no Qt
cmake --build build-fuzz -j "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")

# Seeds: real files of every kind, small enough to mutate quickly.
cli=./build/app/signcut-cli
seeds=build-fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{scd,scdz,npy,csv,safetensors,image}
$cli gaussian 12x9 --out "$seeds/npy/matrix.npy" > /dev/null
$cli gaussian 4x3x2 --out "$seeds/npy/order3.npy" --seed 2 > /dev/null
$cli gaussian 7x5 --out "$seeds/csv/matrix.csv" > /dev/null
$cli decompose "$seeds/npy/matrix.npy" --width 6 --out "$seeds/scd/matrix.scd" > /dev/null
$cli decompose "$seeds/npy/order3.npy" --width 3 --precision bf16 --out "$seeds/scd/order3.scd" > /dev/null
$cli gaussian 12x9 --spikes 0.05 --seed 3 --out "$seeds/npy/spiky.npy" > /dev/null  # .scd v2: entries kept apart
$cli decompose "$seeds/npy/spiky.npy" --width 6 --outliers 5 --out "$seeds/scd/outliers.scd" > /dev/null
$cli decompose "$seeds/npy/spiky.npy" --width 4 --outliers 3 --precision f16 --out "$seeds/scd/outliers-f16.scd" > /dev/null
$cli reconstruct "$seeds/scd/matrix.scd" --out "$seeds/image/gray.png" > /dev/null
$cli reconstruct "$seeds/scd/matrix.scd" --out "$seeds/image/gray.bmp" > /dev/null
$cli reconstruct "$seeds/scd/matrix.scd" --out "$seeds/image/gray.jpg" > /dev/null
$cli synthetic-checkpoint "$seeds/safetensors/tiny.safetensors" --layers 1 --hidden 8 --intermediate 12 > /dev/null
$cli compress-model "$seeds/safetensors/tiny.safetensors" --bits-per-entry 8 --out "$seeds/scdz/tiny.scdz" > /dev/null
cp fuzz/regressions/*/* /dev/null 2>/dev/null || true
for target in scd scdz npy csv safetensors image; do
  cp fuzz/regressions/$target/* "$seeds/$target/" 2>/dev/null || true
done

printf '%-12s %12s %10s %s\n' target executions seconds result
status=0
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target
  findings=fuzz/findings/$target
  mkdir -p "$corpus" "$findings"
  log=build-fuzz/fuzz_$target.log
  set +e
  "./build-fuzz/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$corpus" "$seeds/$target" > "$log" 2>&1
  code=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  result="no findings"
  if [ "$code" -ne 0 ]; then result="FINDING (see $log and $findings)"; status=1; fi
  printf '%-12s %12s %10s %s\n' "$target" "$runs" "$seconds" "$result"
done
exit $status
