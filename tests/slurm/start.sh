#!/usr/bin/env bash
# Start a single-node Slurm (munged, slurmctld, slurmd) for tests/test_slurm.py; root only.
#
#   tests/slurm/start.sh STATE_DIR     prints SLURM_CONF=<path> once the node is idle; exit 0
#   tests/slurm/stop.sh STATE_DIR      stops what this script started (by pid)
#
# Everything it writes is under STATE_DIR (slurm.conf, spool, logs, pids), except:
# - it starts munged if no munged is running (Debian's /etc/munge/munge.key, made by the munge package);
# - /etc/slurm/slurm.conf becomes a link to STATE_DIR/slurm.conf: the executor's job steps run `srun`
#   with every SLURM_* variable removed (SLURM_CONF too), so srun must find the default file. An
#   existing /etc/slurm/slurm.conf that is not ours (a real cluster) is never touched: exit 3 instead.
# Exit status 3 and one line on stderr when something is missing, so the test can skip with the reason.
set -euo pipefail
STATE=$(realpath -m "${1:?uso: start.sh STATE_DIR}")
HERE=$(cd "$(dirname "$0")" && pwd)
missing() { echo "slurm: $*" >&2; exit 3; }
running() { ps -C "$1" -o stat= 2>/dev/null | grep -qv '^Z'; }   # a live process of that name (zombies aside)

[ "$(id -u)" = 0 ] || missing "not root (slurmd must run as root)"
for bin in munged slurmctld slurmd sbatch squeue sinfo scontrol; do
  command -v "$bin" >/dev/null 2>&1 || missing "$bin not found (apt-get install slurm-wlm munge)"
done
ETC_CONF=/etc/slurm/slurm.conf
if [ -e "$ETC_CONF" ] && ! grep -q '^ClusterName=piano-test$' "$ETC_CONF" 2>/dev/null; then
  missing "$ETC_CONF exists and is not the test cluster's: not touching a configured Slurm"
fi
if running slurmctld || running slurmd; then
  missing "a slurmctld or slurmd is already running on this machine"
fi
[ -r /etc/munge/munge.key ] || missing "/etc/munge/munge.key missing (the munge package creates it)"

mkdir -p "$STATE/ctld" "$STATE/d"
# munged: one for the machine; start it if none is running
if ! running munged; then
  mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
  if id munge >/dev/null 2>&1; then
    runuser -u munge -- munged >/dev/null 2>&1 || munged --force >/dev/null 2>&1 || missing "munged did not start"
  else
    munged --force >/dev/null 2>&1 || missing "munged did not start"
  fi
  for _ in $(seq 50); do running munged && break; sleep 0.1; done
fi
command -v munge >/dev/null 2>&1 && { munge -n | unmunge >/dev/null 2>&1 || missing "munge does not work (munge -n | unmunge)"; }

HOST=$(hostname -s)
CPUS=$(nproc)
MEMORY=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))  # MB, a little left to the system
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CTLD_PORT=${SLURM_TEST_CTLD_PORT:-$(free_port)}
SLURMD_PORT=${SLURM_TEST_SLURMD_PORT:-$(free_port)}
sed -e "s|@HOST@|$HOST|g" -e "s|@STATE@|$STATE|g" -e "s|@CPUS@|$CPUS|g" -e "s|@MEMORY@|$MEMORY|g" \
    -e "s|@CTLD_PORT@|$CTLD_PORT|g" -e "s|@SLURMD_PORT@|$SLURMD_PORT|g" "$HERE/slurm.conf.in" > "$STATE/slurm.conf"
echo "CgroupPlugin=autodetect" > "$STATE/cgroup.conf"   # read by slurmd even with no cgroup plugin in use
mkdir -p /etc/slurm
ln -sfn "$STATE/slurm.conf" "$ETC_CONF"
export SLURM_CONF="$ETC_CONF"

slurmctld -f "$SLURM_CONF" -i || missing "slurmctld did not start (see $STATE/slurmctld.log)"
slurmd -f "$SLURM_CONF" || missing "slurmd did not start (see $STATE/slurmd.log)"
for _ in $(seq 100); do
  state=$(sinfo -h -N -o %T 2>/dev/null | head -1 || true)
  case "$state" in idle*|mixed*|allocated*) echo "SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
  sleep 0.3
done
missing "the node did not become idle (state «${state:-none}»; see $STATE/slurmctld.log, $STATE/slurmd.log)"
