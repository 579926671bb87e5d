#!/usr/bin/env bash
# Starts Prometheus (Debian's package, /usr/bin/prometheus) with the remote write receiver on, for tests.
#   prometheus-start.sh [DATA_DIR]    (default: a new /tmp/prometheus.XXXXXX); stop with stop.sh DATA_DIR
# Env: PROMETHEUS_BIN (/usr/bin/prometheus), PROMETHEUS_HOST (127.0.0.1), PROMETHEUS_PORT (9090),
#      PROMETHEUS_START_TIMEOUT (60 s).
# Idempotent. Prints "prometheus ready pid=<pid> url=http://<host>:<port> data=<dir> seconds=<n>".
set -euo pipefail
BIN="${PROMETHEUS_BIN:-/usr/bin/prometheus}"
HOST="${PROMETHEUS_HOST:-127.0.0.1}"
PORT="${PROMETHEUS_PORT:-9090}"
TIMEOUT="${PROMETHEUS_START_TIMEOUT:-60}"
case "$HOST" in 127.*) ;; *) echo "refusing to bind $HOST: only 127.0.0.x" >&2; exit 2;; esac
[ -x "$BIN" ] || { echo "no $BIN: install it with apt-get install -y prometheus" >&2; exit 1; }
DATA="${1:-}"; [ -n "$DATA" ] || DATA="$(mktemp -d /tmp/prometheus.XXXXXX)"
mkdir -p "$DATA/tsdb"; DATA="$(cd "$DATA" && pwd)"
PIDFILE="$DATA/prometheus.pid"
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
if [ -f "$PIDFILE" ]; then
  pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$DATA" && port_open "$PORT"; then
    echo "prometheus already running pid=$pid url=http://$HOST:$PORT data=$DATA"; exit 0
  fi
  rm -f "$PIDFILE"
fi
if port_open "$PORT"; then echo "port $HOST:$PORT is taken by another process" >&2; exit 1; fi

# No scrape jobs: everything it stores comes through remote write.
cat > "$DATA/prometheus.yml" <<CONF
global:
  scrape_interval: 15s
CONF

t0=$SECONDS
nohup setsid "$BIN" --config.file="$DATA/prometheus.yml" --storage.tsdb.path="$DATA/tsdb" \
  --web.listen-address="$HOST:$PORT" --web.enable-remote-write-receiver \
  > "$DATA/prometheus.out" 2>&1 < /dev/null &
pid=$!; echo "$pid" > "$PIDFILE"
deadline=$((SECONDS + TIMEOUT))
until curl -fsS "http://$HOST:$PORT/-/ready" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { echo "prometheus exited during start-up:" >&2; tail -n 40 "$DATA/prometheus.out" >&2 || true; rm -f "$PIDFILE"; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "prometheus not ready after ${TIMEOUT}s (pid $pid; stop.sh $DATA)" >&2; exit 1; }
  sleep 0.2
done
echo "prometheus ready pid=$pid url=http://$HOST:$PORT data=$DATA seconds=$((SECONDS - t0))"
