#!/usr/bin/env bash
# Kansoku scale-out on this machine, all on loopback: Kafka, OpenSearch, 2 collectors, N ingesters and 2
# query nodes (the role configs beside this script), then load through both collectors with
# bench/ack-check, which checks on query-1 that every acknowledged span is stored exactly once; and
# CloudWatch Logs' log group metadata, shared through OpenSearch: a group deleted on query-1 is gone on
# query-2, also after query-2 restarts.
#
#   deploy/local-cluster/run.sh [--duration 15s] [--rate 5000] [--ingesters 2] [--verify all] [--faults] [--keep]
#
#   --rate N      spans/s offered (0 = as fast as the collectors answer: a throughput run)
#   --verify M    all: look up every acknowledged span; newest: only time the drain (throughput runs)
#   --faults      two more loads: one with an ingester killed (-9) and restarted while it runs, and one
#                 with OpenSearch stopped for 30 s while it runs (collectors must keep accepting)
#   --keep        leave the cluster running at the end (prints how to stop it)
# Exits non-zero when an acknowledged span is lost or duplicated, a collector refused data, or a query
# node disagrees with another about log groups.
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
    -h|--help) sed -n '2,16p' "$0"; exit 0;;
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

declare -A ingester_ports=() query_ports=()
for i in $(seq 1 "$ingesters"); do
  ingester_ports[$i]="$(free_port)"
  start_role "ingester-$i" ingester.yaml 384m KANSOKU_ENDPOINT="127.0.0.1:${ingester_ports[$i]}"
done
for i in 1 2; do
  query_ports[$i]="$(free_port)"
  start_role "query-$i" query.yaml 384m KANSOKU_ENDPOINT="127.0.0.1:${query_ports[$i]}"
done
query_port="${query_ports[1]}"
endpoints=()
for i in 1 2; do
  port="$(free_port)"
  start_role "collector-$i" collector.yaml 256m OTLP_GRPC_ENDPOINT="127.0.0.1:$port" \
    OTLP_HTTP_ENDPOINT="127.0.0.1:$(free_port)"
  endpoints+=(--endpoint "http://127.0.0.1:$port")
done
echo "cluster up in $((SECONDS - t0)) s: kafka $KAFKA_BROKERS, opensearch $OPENSEARCH_URL, $ingesters ingesters," \
  "query http://127.0.0.1:${query_ports[1]} http://127.0.0.1:${query_ports[2]}, collectors ${endpoints[*]}"

ack_check() {
  java -Xmx1g -jar "$bench_jar" ack-check "${endpoints[@]}" --query "http://127.0.0.1:$query_port" --rate "$rate" \
    --verify "$verify" "$@"
}

echo
echo "== load: $duration through both collectors =="
ack_check --duration "$duration"

# logs PORT OPERATION JSON: one CloudWatch Logs call in its JSON protocol (what the AWS CLI sends,
# unsigned: the query role has no aws_auth); prints the answer, errors included.
logs() {
  curl -sS -X POST "http://127.0.0.1:$1/" -H "X-Amz-Target: Logs_20140328.$2" \
    -H 'Content-Type: application/x-amz-json-1.1' -d "$3"
}
# logs_ok PORT OPERATION JSON: as logs, and the run fails on an error answer.
logs_ok() {
  local answer
  answer="$(logs "$@")"
  if grep -q '"__type"' <<<"$answer"; then
    echo "  FAILED: $2 on port $1: $answer" >&2
    exit 1
  fi
}
# expect WHAT ANSWER PATTERN: the answer matches the (extended) regular expression, or the run fails.
expect() {
  if ! grep -Eq "$3" <<<"$2"; then
    echo "  FAILED: $1; the answer was: $2" >&2
    exit 1
  fi
  echo "  ok: $1"
}

echo
echo "== log groups: a DeleteLogGroup on query-1 is seen by query-2, also after query-2 restarts =="
group=/local-cluster/dice q1="${query_ports[1]}" q2="${query_ports[2]}"
logs_ok "$q1" CreateLogGroup "{\"logGroupName\":\"$group\"}"
logs_ok "$q1" CreateLogStream "{\"logGroupName\":\"$group\",\"logStreamName\":\"task-1\"}"
event="{\"timestamp\":$(date +%s%3N),\"message\":\"rolled a 4\"}"
logs_ok "$q1" PutLogEvents "{\"logGroupName\":\"$group\",\"logStreamName\":\"task-1\",\"logEvents\":[$event]}"
expect "query-2 lists the group created on query-1" \
  "$(logs "$q2" DescribeLogGroups "{\"logGroupNamePrefix\":\"$group\"}")" "\"logGroupName\":\"$group\""
for _ in $(seq 1 60); do # the event may reach OpenSearch through Kafka and an ingester
  events="$(logs "$q2" FilterLogEvents "{\"logGroupName\":\"$group\"}")"
  grep -q "rolled a 4" <<<"$events" && break
  sleep 0.5
done
expect "query-2 reads the event put through query-1" "$events" "rolled a 4"
logs_ok "$q1" DeleteLogGroup "{\"logGroupName\":\"$group\"}"
# The group's event is still in OpenSearch: query-2 would adopt the group again from the stored
# names, were the deletion only in query-1's memory.
expect "query-2 no longer lists the group deleted on query-1" \
  "$(logs "$q2" DescribeLogGroups "{\"logGroupNamePrefix\":\"$group\"}")" '"logGroups":\[\]'
kill "${pids[query-2]}"; wait "${pids[query-2]}" 2>/dev/null || true
mv "$work/query-2.log" "$work/query-2.before-restart.log"
start_role query-2 query.yaml 384m KANSOKU_ENDPOINT="127.0.0.1:$q2"
expect "query-2, restarted, still does not list it" \
  "$(logs "$q2" DescribeLogGroups "{\"logGroupNamePrefix\":\"$group\"}")" '"logGroups":\[\]'
expect "query-2, restarted, refuses to read its events" \
  "$(logs "$q2" FilterLogEvents "{\"logGroupName\":\"$group\"}")" '"__type":"ResourceNotFoundException"'

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
