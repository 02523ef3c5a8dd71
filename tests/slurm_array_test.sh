#!/usr/bin/env bash
# compress-model split among the tasks of a real Slurm job array: a single-node Slurm on
# localhost (scripts/slurm/local-cluster.sh) runs scripts/slurm/compress-model.sbatch as a
# 4-task array and the dependent merge on a generated Hugging Face-style sharded checkpoint;
# the merged OUT.scdz must equal a single-process run's byte for byte. Every daemon started here
# is stopped by its pid on exit. Exits 77 (a skip for CTest) only when Slurm and munge are
# missing and cannot be installed.
#   usage: slurm_array_test.sh SIGNCUT_CLI SOURCE_DIR
set -euo pipefail
cli=$(realpath "${1:?usage: slurm_array_test.sh SIGNCUT_CLI SOURCE_DIR}")
source_dir=$(realpath "${2:?usage: slurm_array_test.sh SIGNCUT_CLI SOURCE_DIR}")

have_slurm() { command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null; }
if ! have_slurm && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing slurm-wlm and munge (scripts/setup.sh lists them)"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge; } >/dev/null 2>&1 || true
fi
if ! have_slurm; then
    echo "SKIP: Slurm (slurm-wlm) and munge are not installed and could not be installed here"
    exit 77
fi

work=$(mktemp -d /tmp/signcut-slurm-test.XXXXXX)
cluster=$work/cluster
finish() {
    local status=$?
    "$source_dir/scripts/slurm/local-cluster.sh" stop "$cluster" || true
    if ((status == 0)); then rm -rf "$work"; else echo "left for inspection: $work"; fi
}
trap finish EXIT
trap 'exit 1' INT TERM  # then the EXIT trap runs too

eval "$("$source_dir/scripts/slurm/local-cluster.sh" start "$cluster")"
echo "Slurm is up: $SLURM_CONF"

# A checkpoint in 3 shards with an index; 14 matrices to store.
"$cli" synthetic-checkpoint "$work/model" --layers 2 --hidden 64 --intermediate 128 --max-shard-size 60KB
[[ -f $work/model/model.safetensors.index.json && -f $work/model/model-00003-of-00003.safetensors ]]
# Every storable method on each tensor, and one budget for the whole checkpoint: the plan is
# computed by whichever process comes first and kept in job.json for the others and the merge.
options=(--bits-per-entry 2 --memory-limit 512 --method best --allocate global)
"$cli" compress-model "$work/model" --out "$work/single.scdz" "${options[@]}" >/dev/null

cd "$work"
export SIGNCUT_CLI=$cli
array=$(sbatch --parsable --array=0-3 --mem=1G --output="$work/shard-%a.log" \
    "$source_dir/scripts/slurm/compress-model.sbatch" "$work/model" "$work/array.scdz" "${options[@]}")
# Bounded here, so that a stuck job ends the script normally and the trap stops the daemons
# (150 s, times SIGNCUT_TEST_TIME_SCALE for slower builds, as the C++ tests' latency bounds),
# and 30 s before CTest's own limit (SIGNCUT_CTEST_TIMEOUT), which would kill the script
# without its trap.
scale=${SIGNCUT_TEST_TIME_SCALE:-1}
((scale >= 1)) || scale=1
wait_seconds=$((150 * scale))
if [[ -n ${SIGNCUT_CTEST_TIMEOUT:-} ]]; then
    left=$((SIGNCUT_CTEST_TIMEOUT - SECONDS - 30))
    ((left < wait_seconds)) && wait_seconds=$left
    ((wait_seconds >= 1)) || wait_seconds=1  # timeout 0 would mean no bound at all
fi
timeout "$wait_seconds" sbatch --wait --dependency="afterok:$array" --mem=1G --output="$work/merge.log" \
    "$source_dir/scripts/slurm/compress-model.sbatch" --merge "$work/model" "$work/array.scdz" "${options[@]}"

for k in 0 1 2 3; do
    grep -q "shard $k/4: " "$work/shard-$k.log" || { echo "task $k did not run its shard:"; cat "$work/shard-$k.log"; exit 1; }
done
cat "$work/merge.log"
cmp "$work/single.scdz" "$work/array.scdz"
[[ ! -e $work/array.scdz.parts ]]
echo "PASS: the 4-task array and the merge wrote the single-process bytes ($(stat -c %s "$work/array.scdz") bytes)"
