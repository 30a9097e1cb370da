#!/usr/bin/env bash
# Stop the slurmctld and slurmd that tests/slurm/start.sh STATE_DIR started (by their pid files).
STATE=$(realpath -m "${1:?uso: stop.sh STATE_DIR}")
for daemon in slurmd slurmctld; do
  pidfile="$STATE/$daemon.pid"
  [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
done
for _ in $(seq 50); do  # wait until both are gone (their ports are free again)
  alive=0
  for daemon in slurmd slurmctld; do
    pidfile="$STATE/$daemon.pid"
    [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && alive=1
  done
  [ $alive = 0 ] && break
  sleep 0.1
done
# /etc/slurm/slurm.conf: removed only if it is our link into STATE_DIR
if [ -L /etc/slurm/slurm.conf ] && [ "$(readlink /etc/slurm/slurm.conf)" = "$STATE/slurm.conf" ]; then
  rm -f /etc/slurm/slurm.conf
fi
exit 0
