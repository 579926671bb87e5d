#!/usr/bin/env bash
# Drives Kansoku's AWS-compatible endpoints with Debian's AWS CLI v2 (/usr/bin/aws, package awscli):
# X-Ray, CloudWatch Logs (incl. Logs Insights) and CloudWatch metrics, each put and read back.
# Needs the jar (mvn package) and /usr/bin/aws. Exits non-zero on the first failed check.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/kansoku-server/target/kansoku.jar"
aws_bin=/usr/bin/aws
[ -x "$aws_bin" ] || { echo "awscli: $aws_bin is missing (apt-get install awscli)" >&2; exit 1; }
[ -f "$jar" ] || { echo "awscli: $jar is missing (mvn package)" >&2; exit 1; }

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$work/config.yaml" <<YAML
extensions:
  kansoku:
    endpoint: 127.0.0.1:$port
    storage:
      path: $work/data
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
exporters:
  kansoku:
service:
  extensions: [kansoku]
  pipelines:
    traces: {receivers: [otlp], exporters: [kansoku]}
YAML
java -Xmx512m -jar "$jar" --config "$work/config.yaml" > "$work/kansoku.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  grep -q "Started" "$work/kansoku.log" && break
  kill -0 $pid 2>/dev/null || { cat "$work/kansoku.log" >&2; exit 1; }
  sleep 0.5
done

export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_DEFAULT_REGION=us-west-2 AWS_PAGER=""
aws() { "$aws_bin" --endpoint-url "http://127.0.0.1:$port" "$@"; }
passed=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then
    echo "awscli: FAILED $1: expected [$2], got [$3]" >&2
    echo "1 failed"
    exit 1
  fi
  passed=$((passed + 1))
  echo "ok $1"
}

now=$(date +%s)
trace="1-$(printf '%08x' "$now")-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
segment=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')

# X-Ray: a slow GET /rolldice segment, found by a filter expression and read back whole.
doc="{\"name\":\"dice-server\",\"id\":\"$segment\",\"trace_id\":\"$trace\",\"start_time\":$((now - 2)),\"end_time\":$((now - 2)).25,\"http\":{\"request\":{\"method\":\"GET\",\"url\":\"http://dice/rolldice\"},\"response\":{\"status\":200}}}"
check "xray put-trace-segments" 0 "$(aws xray put-trace-segments --trace-segment-documents "$doc" \
  --query 'length(UnprocessedTraceSegments)' --output text)"
check "xray get-trace-summaries" "$trace" "$(aws xray get-trace-summaries --start-time $((now - 60)) \
  --end-time $((now + 60)) --filter-expression 'service("dice-server") AND responsetime > 0.1' \
  --query 'TraceSummaries[].Id' --output text)"
check "xray batch-get-traces" "$trace" "$(aws xray batch-get-traces --trace-ids "$trace" \
  --query 'Traces[0].Id' --output text)"
check "xray get-service-graph" "dice-server" "$(aws xray get-service-graph --start-time $((now - 60)) \
  --end-time $((now + 60)) --query 'Services[0].Name' --output text)"

# CloudWatch Logs: the seed's log line with its X-Ray trace id.
aws logs create-log-group --log-group-name /ecs/dice
aws logs create-log-stream --log-group-name /ecs/dice --log-stream-name ecs/dice/1
cat > "$work/events.json" <<JSON
[{"timestamp": $((now * 1000)), "message": "00:50:13.242 trace_id=$trace@$segment span_id=$segment trace_flags=01 GET \"/rolldice\", parameters={}"},
 {"timestamp": $((now * 1000 + 1)), "message": "00:50:13.243 trace_id= span_id= trace_flags= Player is rolling the dice: 4"}]
JSON
check "logs put-log-events" None "$(aws logs put-log-events --log-group-name /ecs/dice \
  --log-stream-name ecs/dice/1 --log-events "file://$work/events.json" --query 'rejectedLogEventsInfo' --output text)"
check "logs filter-log-events" 1 "$(aws logs filter-log-events --log-group-name /ecs/dice \
  --filter-pattern '"rolldice"' --query 'length(events)' --output text)"
check "logs describe-log-groups" /ecs/dice "$(aws logs describe-log-groups --log-group-name-prefix /ecs \
  --query 'logGroups[0].logGroupName' --output text)"
query=$(aws logs start-query --log-group-name /ecs/dice --start-time $((now - 600)) --end-time $((now + 60)) \
  --query-string "fields @timestamp, @message | filter @message like \"$trace\"" --query queryId --output text)
status=Running
for _ in $(seq 1 50); do
  status=$(aws logs get-query-results --query-id "$query" --query status --output text)
  [ "$status" = Complete ] && break
  sleep 0.2
done
check "logs start-query" Complete "$status"
check "logs get-query-results" 1 "$(aws logs get-query-results --query-id "$query" --query 'length(results)' --output text)"

# CloudWatch metrics (Debian's CLI speaks awsQuery).
aws cloudwatch put-metric-data --namespace dice-server --metric-name rolls --value 4 --unit Count \
  --dimensions Player=alice
aws cloudwatch put-metric-data --namespace dice-server --metric-name rolls --value 6 --unit Count \
  --dimensions Player=alice
check "cloudwatch get-metric-data" 10.0 "$(aws cloudwatch get-metric-data --start-time $((now - 600)) \
  --end-time $((now + 600)) --metric-data-queries '[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"dice-server","MetricName":"rolls","Dimensions":[{"Name":"Player","Value":"alice"}]},"Period":3600,"Stat":"Sum"}}]' \
  --query 'MetricDataResults[0].Values[0]' --output text)"
check "cloudwatch list-metrics" rolls "$(aws cloudwatch list-metrics --namespace dice-server \
  --query 'Metrics[0].MetricName' --output text)"

echo "awscli: $passed passed, 0 failed"
