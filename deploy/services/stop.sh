#!/usr/bin/env bash
# Stops a service started by kafka-start.sh, opensearch-start.sh or prometheus-start.sh from DATA_DIR:
# SIGTERM (controlled shutdown), SIGKILL after STOP_TIMEOUT seconds (default 60).
#   stop.sh DATA_DIR [--purge]      (--purge also deletes DATA_DIR)
# Idempotent: exits 0 when nothing runs. Only signals a pid whose command line names DATA_DIR.
set -euo pipefail
DATA="${1:?usage: stop.sh DATA_DIR [--purge]}"
[ -d "$DATA" ] || { echo "no data dir $DATA, nothing to stop"; exit 0; }
DATA="$(cd "$DATA" && pwd)"
TIMEOUT="${STOP_TIMEOUT:-60}"
for PIDFILE in "$DATA"/*.pid; do
  [ -f "$PIDFILE" ] || continue
  pid="$(cat "$PIDFILE")"; name="$(basename "$PIDFILE" .pid)"
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$DATA"; then
    t0=$SECONDS
    kill -TERM "$pid"
    for _ in $(seq 1 $((TIMEOUT * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then echo "$name pid $pid ignored SIGTERM for ${TIMEOUT}s, sending SIGKILL" >&2; kill -KILL "$pid"; fi
    echo "$name stopped pid=$pid seconds=$((SECONDS - t0))"
  else
    echo "$name: pid $pid is not running"
  fi
  rm -f "$PIDFILE"
done
if [ "${2:-}" = "--purge" ]; then rm -rf "$DATA"; fi
