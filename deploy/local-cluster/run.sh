#!/usr/bin/env bash
# Kansoku scale-out on this machine, all on loopback: Kafka, OpenSearch, 2 collectors, N ingesters and a
# query node (the role configs beside this script), then load through both collectors with
# bench/ack-check, which checks on the query node that every acknowledged span is stored exactly once.
#
#   deploy/local-cluster/run.sh [--duration 15s] [--rate 5000] [--ingesters 2] [--verify all] [--faults] [--keep]
#
#   --rate N      spans/s offered (0 = as fast as the collectors answer: a throughput run)
#   --verify M    all: look up every acknowledged span; newest: only time the drain (throughput runs)
#   --faults      two more loads: one with an ingester killed (-9) and restarted while it runs, and one
#                 with OpenSearch stopped for 30 s while it runs (collectors must keep accepting)
#   --keep        leave the cluster running at the end (prints how to stop it)
# Exits non-zero when an acknowledged span is lost or duplicated, or a collector refused data.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/deploy/local-cluster"
services="$root/deploy/services"

duration=15s rate=5000 ingesters=2 verify=all faults=false keep=false
while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2;;
    --rate) rate="$2"; shift 2;;
    --ingesters) ingesters="$2"; shift 2;;
    --verify) verify="$2"; shift 2;;
    --faults) faults=true; shift;;
    --keep) keep=true; shift;;
    -h|--help) sed -n '2,14p' "$0"; exit 0;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2;;
  esac
done

jar="$root/kansoku-server/target/kansoku.jar"
bench_jar="$root/bench/target/kansoku-bench.jar"
if [ ! -f "$jar" ] || [ ! -f "$bench_jar" ]; then
  echo "building kansoku.jar and kansoku-bench.jar (mvn package)..."
  (cd "$root" && mvn -q -B -ntp -DskipTests -pl kansoku-server,bench -am package)
fi

work="$(mktemp -d /tmp/kansoku-cluster.XXXXXX)"
# shellcheck source=../services/lib.sh
source "$services/lib.sh"
declare -A pids=()

stop_all() {
  for name in "${!pids[@]}"; do kill "${pids[$name]}" 2>/dev/null || true; done
  for name in "${!pids[@]}"; do wait "${pids[$name]}" 2>/dev/null || true; done
  "$services/stop.sh" "$work/kafka" >/dev/null 2>&1 || true
  "$services/stop.sh" "$work/opensearch" >/dev/null 2>&1 || true
}
finish() {
  local rc=$?
  if [ "$keep" = true ] && [ $rc -eq 0 ]; then
    echo "cluster left running; its logs are in $work; stop it with: kill ${pids[*]}; $services/stop.sh $work/kafka; $services/stop.sh $work/opensearch"
  else
    stop_all
    if [ $rc -eq 0 ]; then rm -rf "$work"; else echo "logs kept in $work" >&2; fi
  fi
  exit $rc
}
trap finish EXIT

export KAFKA_PORT="$(free_port)" KAFKA_CONTROLLER_PORT="$(free_port)" KAFKA_PARTITIONS=4
export OPENSEARCH_HTTP_PORT="$(free_port)" OPENSEARCH_TRANSPORT_PORT="$(free_port)" OPENSEARCH_HEAP=768m
export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" OPENSEARCH_URL="http://127.0.0.1:$OPENSEARCH_HTTP_PORT"
export OPENSEARCH_REPLICAS=0   # one node: a replica would have nowhere to go

t0=$SECONDS
"$services/kafka-start.sh" "$work/kafka" &
kafka_start=$!
"$services/opensearch-start.sh" "$work/opensearch"
wait $kafka_start

# start_role NAME CONFIG HEAP VAR=VALUE...: one Kansoku process; returns once it has started.
start_role() {
  local name="$1" config="$2" heap="$3"; shift 3
  env "$@" java "-Xmx$heap" -XX:+UseG1GC -jar "$jar" --config "$here/$config" > "$work/$name.log" 2>&1 &
  pids[$name]=$!
  for _ in $(seq 1 120); do
    grep -q "Started" "$work/$name.log" && return 0
    kill -0 "${pids[$name]}" 2>/dev/null || { echo "$name exited:" >&2; tail -n 30 "$work/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$name did not start within 60 s" >&2; tail -n 30 "$work/$name.log" >&2; exit 1
}

query_port="$(free_port)"
declare -A ingester_ports=()
for i in $(seq 1 "$ingesters"); do
  ingester_ports[$i]="$(free_port)"
  start_role "ingester-$i" ingester.yaml 384m KANSOKU_ENDPOINT="127.0.0.1:${ingester_ports[$i]}"
done
start_role query query.yaml 384m KANSOKU_ENDPOINT="127.0.0.1:$query_port"
endpoints=()
for i in 1 2; do
  port="$(free_port)"
  start_role "collector-$i" collector.yaml 256m OTLP_GRPC_ENDPOINT="127.0.0.1:$port" \
    OTLP_HTTP_ENDPOINT="127.0.0.1:$(free_port)"
  endpoints+=(--endpoint "http://127.0.0.1:$port")
done
echo "cluster up in $((SECONDS - t0)) s: kafka $KAFKA_BROKERS, opensearch $OPENSEARCH_URL, $ingesters ingesters," \
  "query http://127.0.0.1:$query_port, collectors ${endpoints[*]}"

ack_check() {
  java -Xmx1g -jar "$bench_jar" ack-check "${endpoints[@]}" --query "http://127.0.0.1:$query_port" --rate "$rate" \
    --verify "$verify" "$@"
}

echo
echo "== load: $duration through both collectors =="
ack_check --duration "$duration"

if [ "$faults" = true ]; then
  echo
  echo "== fault: ingester-1 killed with SIGKILL at 8 s, restarted at 13 s, during a 25 s load =="
  ack_check --duration 25s &
  load=$!
  sleep 8
  kill -9 "${pids[ingester-1]}"; wait "${pids[ingester-1]}" 2>/dev/null || true
  echo "  killed ingester-1 (pid ${pids[ingester-1]})"
  sleep 5
  mv "$work/ingester-1.log" "$work/ingester-1.before-kill.log"
  start_role ingester-1 ingester.yaml 384m KANSOKU_ENDPOINT="127.0.0.1:${ingester_ports[1]}"
  echo "  restarted ingester-1 (pid ${pids[ingester-1]})"
  wait $load

  echo
  echo "== fault: OpenSearch stopped at 8 s for 30 s, during a 60 s load =="
  ack_check --duration 60s --verify-timeout 300s &
  load=$!
  sleep 8
  "$services/stop.sh" "$work/opensearch"
  sleep 30
  "$services/opensearch-start.sh" "$work/opensearch"
  wait $load
fi
echo
echo "local cluster: all checks passed"
