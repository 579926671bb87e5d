#!/usr/bin/env bash
# Starts a single OpenSearch 2.19 node from Maven Central jars (no tarball, no security plugin), HTTP on loopback.
#   opensearch-start.sh [DATA_DIR]    (default: a new /tmp/opensearch.XXXXXX); stop with stop.sh DATA_DIR
# Env: OPENSEARCH_VERSION (2.19.6; 3.x needs Java 21), OPENSEARCH_HOST (127.0.0.1), OPENSEARCH_HTTP_PORT (9200),
#      OPENSEARCH_TRANSPORT_PORT (9300), OPENSEARCH_HEAP (512m), OPENSEARCH_START_TIMEOUT (120 s).
# Idempotent. Prints "opensearch ready pid=<pid> http=http://<host>:<port> data=<dir> seconds=<n>".
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION="${OPENSEARCH_VERSION:-2.19.6}"
HOST="${OPENSEARCH_HOST:-127.0.0.1}"
HPORT="${OPENSEARCH_HTTP_PORT:-9200}"
TPORT="${OPENSEARCH_TRANSPORT_PORT:-9300}"
HEAP="${OPENSEARCH_HEAP:-512m}"
TIMEOUT="${OPENSEARCH_START_TIMEOUT:-120}"
case "$HOST" in 127.*) ;; *) echo "refusing to bind $HOST: only 127.0.0.x" >&2; exit 2;; esac
DATA="${1:-}"; [ -n "$DATA" ] || DATA="$(mktemp -d /tmp/opensearch.XXXXXX)"
mkdir -p "$DATA/home"; DATA="$(cd "$DATA" && pwd)"
PIDFILE="$DATA/opensearch.pid"
up() { curl -fsS -m 2 "http://$HOST:$HPORT/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; }
if [ -f "$PIDFILE" ]; then
  pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$DATA" && up; then
    echo "opensearch already running pid=$pid http=http://$HOST:$HPORT data=$DATA"; exit 0
  fi
  kill -0 "$pid" 2>/dev/null || rm -f "$PIDFILE"
fi
if (exec 3<>"/dev/tcp/$HOST/$HPORT") 2>/dev/null; then echo "port $HOST:$HPORT is taken" >&2; exit 1; fi

CPFILE="$DATA/classpath-$VERSION.txt"
[ -s "$CPFILE" ] || mvn -q -B -ntp -f "$HERE/opensearch/pom.xml" -Dopensearch.version="$VERSION" \
  dependency:build-classpath -Dmdep.outputFile="$CPFILE" \
  > "$DATA/mvn.log" 2>&1 || { cat "$DATA/mvn.log" >&2; exit 1; }
CP="$(cat "$CPFILE")"
if [ ! -f "$DATA/classes/OpenSearchNode.class" ] || [ "$HERE/opensearch/OpenSearchNode.java" -nt "$DATA/classes/OpenSearchNode.class" ]; then
  mkdir -p "$DATA/classes"; javac -nowarn -cp "$CP" -d "$DATA/classes" "$HERE/opensearch/OpenSearchNode.java"
fi
cat > "$DATA/log4j2.properties" <<CONF
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = $DATA/opensearch.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] %m%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
CONF
t0=$SECONDS
OPENSEARCH_HOST="$HOST" nohup setsid java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
  -Dlog4j2.configurationFile="$DATA/log4j2.properties" -Dlog4j.shutdownHookEnabled=false -Djava.awt.headless=true \
  -Dfile.encoding=UTF-8 -cp "$DATA/classes:$CP" OpenSearchNode "$DATA/home" "$HPORT" "$TPORT" \
  > "$DATA/opensearch.out" 2>&1 < /dev/null &
pid=$!; echo "$pid" > "$PIDFILE"
deadline=$((SECONDS + TIMEOUT))
until up; do
  kill -0 "$pid" 2>/dev/null || { echo "opensearch exited during start-up:" >&2; tail -n 40 "$DATA/opensearch.out" "$DATA/opensearch.log" >&2 || true; rm -f "$PIDFILE"; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "opensearch not ready after ${TIMEOUT}s (pid $pid; stop.sh $DATA)" >&2; exit 1; }
  sleep 0.3
done
echo "opensearch ready pid=$pid http=http://$HOST:$HPORT data=$DATA seconds=$((SECONDS - t0))"
