#!/usr/bin/env bash
# Starts a single-node Apache Kafka 4.x (KRaft: broker and controller in one JVM) from Maven Central jars.
#   kafka-start.sh [DATA_DIR]         (default: a new /tmp/kafka.XXXXXX); stop with stop.sh DATA_DIR
# Env: KAFKA_VERSION (4.3.1), KAFKA_HOST (127.0.0.1), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
#      KAFKA_HEAP (256m), KAFKA_PARTITIONS (default partitions of new topics, 4), KAFKA_START_TIMEOUT (90 s).
# Idempotent. Prints "kafka ready pid=<pid> bootstrap=<host>:<port> data=<dir> seconds=<n>".
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION="${KAFKA_VERSION:-4.3.1}"
HOST="${KAFKA_HOST:-127.0.0.1}"
PORT="${KAFKA_PORT:-9092}"
CPORT="${KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${KAFKA_HEAP:-256m}"
PARTITIONS="${KAFKA_PARTITIONS:-4}"
TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
case "$HOST" in 127.*) ;; *) echo "refusing to bind $HOST: only 127.0.0.x" >&2; exit 2;; esac
DATA="${1:-}"; [ -n "$DATA" ] || DATA="$(mktemp -d /tmp/kafka.XXXXXX)"
mkdir -p "$DATA/logs" "$DATA/applogs"; DATA="$(cd "$DATA" && pwd)"
PIDFILE="$DATA/kafka.pid"
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
if [ -f "$PIDFILE" ]; then
  pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$DATA" && port_open "$PORT"; then
    echo "kafka already running pid=$pid bootstrap=$HOST:$PORT data=$DATA"; exit 0
  fi
  rm -f "$PIDFILE"
fi
if port_open "$PORT"; then echo "port $HOST:$PORT is taken by another process" >&2; exit 1; fi

CPFILE="$DATA/classpath-$VERSION.txt"
[ -s "$CPFILE" ] || mvn -q -B -ntp -f "$HERE/kafka/pom.xml" -Dkafka.version="$VERSION" \
  dependency:build-classpath -Dmdep.outputFile="$CPFILE" \
  > "$DATA/mvn.log" 2>&1 || { cat "$DATA/mvn.log" >&2; exit 1; }
CP="$(cat "$CPFILE")"

cat > "$DATA/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA/logs
num.partitions=$PARTITIONS
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=24
num.network.threads=2
num.io.threads=2
CONF
cat > "$DATA/log4j2.properties" <<CONF
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $DATA/applogs/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
CONF

t0=$SECONDS
if [ ! -f "$DATA/logs/meta.properties" ]; then
  # A URL-safe base64 id may start with '-', which the tool's argument parser reads as an option
  # (one start in 64 failed that way); an id starting with a letter is still a valid 16-byte id.
  cluster_id="$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' | sed 's/^[-_]/A/')"
  java -Xmx128m -cp "$CP" -Dlog4j2.configurationFile="$DATA/log4j2.properties" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$DATA/server.properties" \
    > "$DATA/applogs/format.out" 2>&1 || { cat "$DATA/applogs/format.out" >&2; exit 1; }
fi
nohup setsid java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
  -Djava.awt.headless=true -Dlog4j2.configurationFile="$DATA/log4j2.properties" -Dkafka.logs.dir="$DATA/applogs" \
  -cp "$CP" kafka.Kafka "$DATA/server.properties" > "$DATA/applogs/kafka.out" 2>&1 < /dev/null &
pid=$!; echo "$pid" > "$PIDFILE"
deadline=$((SECONDS + TIMEOUT))
until grep -q "Kafka Server started" "$DATA/applogs/server.log" 2>/dev/null && port_open "$PORT"; do
  kill -0 "$pid" 2>/dev/null || { echo "kafka exited during start-up:" >&2; tail -n 40 "$DATA/applogs/kafka.out" "$DATA/applogs/server.log" >&2 || true; rm -f "$PIDFILE"; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "kafka not ready after ${TIMEOUT}s (pid $pid; stop.sh $DATA)" >&2; exit 1; }
  sleep 0.2
done
echo "kafka ready pid=$pid bootstrap=$HOST:$PORT data=$DATA seconds=$((SECONDS - t0))"
