#!/usr/bin/env bash
# A single-node Slurm on localhost, for tests and for trying scripts/slurm/compress-model.sbatch
# without a cluster: munged, slurmctld and slurmd from Debian's packages (slurm-wlm, munge),
# with a generated munge key and slurm.conf, every state file, log and pid file in DIR.
#
#   scripts/slurm/local-cluster.sh start DIR   prints "export SLURM_CONF=DIR/slurm.conf"
#   scripts/slurm/local-cluster.sh stop DIR    cancels its jobs, stops the three daemons it started, by their pids
#
# Run as root (SlurmUser=root): it is meant for a throwaway machine or container, not for a
# host that already runs Slurm.
set -euo pipefail

action=${1:?usage: local-cluster.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: local-cluster.sh start|stop DIR}")

stop() {
    # The cluster's jobs first: their steps outlive slurmd, and a task would compute on after a
    # caller gave up on it.
    if [[ -s $dir/slurmctld.pid ]] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
        SLURM_CONF=$dir/slurm.conf scancel --full --user="$(id -un)" 2>/dev/null || true
        for _ in $(seq 50); do
            [[ -z $(SLURM_CONF=$dir/slurm.conf squeue --noheader 2>/dev/null) ]] && break
            sleep 0.1
        done
    fi
    # Each daemon by the pid recorded when it was started; munged last (the others use it).
    for daemon in slurmd slurmctld munged; do
        local file="$dir/$daemon.pid"
        [[ -s $file ]] || continue
        local pid
        pid=$(cat "$file")
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$file"
    done
}

if [[ $action == stop ]]; then
    stop
    exit 0
fi
[[ $action == start ]] || { echo "usage: local-cluster.sh start|stop DIR" >&2; exit 2; }
for tool in munged mungekey slurmctld slurmd sbatch scontrol; do
    command -v "$tool" >/dev/null || { echo "local-cluster.sh: $tool not found (apt-get install slurm-wlm munge)" >&2; exit 3; }
done

mkdir -p "$dir"/{munge,state,spool,log}
chmod 700 "$dir/munge"
mungekey --create --keyfile="$dir/munge/munge.key" --force
chmod 400 "$dir/munge/munge.key"

# Every daemon runs in the foreground (-F, -D) of a background job whose pid is recorded, with
# its output in DIR/log: it must not hold our stdout, which a caller reads with $(…) to the end.
munged -F --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid.self" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed" \
    </dev/null >>"$dir/log/munged.out" 2>&1 &
echo $! > "$dir/munged.pid"
for _ in $(seq 50); do [[ -S $dir/munge/munge.socket ]] && break; sleep 0.1; done
[[ -S $dir/munge/munge.socket ]] || { echo "munged did not start: see $dir/log/munged.log" >&2; stop; exit 1; }

host=$(hostname -s)
cpus=$(nproc)
# Leave a little memory for the system, as slurmd -C would report it.
memory_mib=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 256 ))
port=$(( 20000 + RANDOM % 20000 ))
cat > "$dir/slurm.conf" <<CONF
ClusterName=signcut-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid.self
SlurmdPidFile=$dir/slurmd.pid.self
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mib State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf

slurmctld -D -i -f "$dir/slurm.conf" </dev/null >>"$dir/log/slurmctld.out" 2>&1 &
echo $! > "$dir/slurmctld.pid"
slurmd -D -f "$dir/slurm.conf" </dev/null >>"$dir/log/slurmd.out" 2>&1 &
echo $! > "$dir/slurmd.pid"
# Up when the node is idle (scontrol answers and the node registered).
for _ in $(seq 150); do
    if scontrol show node "$host" 2>/dev/null | grep -q 'State=IDLE'; then
        echo "export SLURM_CONF=$dir/slurm.conf"
        exit 0
    fi
    sleep 0.2
done
echo "Slurm did not come up within 30 s: see $dir/log/" >&2
stop
exit 1
