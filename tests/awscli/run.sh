#!/usr/bin/env bash
# Drives Kansoku's AWS-compatible endpoints with Debian's AWS CLI v2 (/usr/bin/aws, package awscli):
# X-Ray, CloudWatch Logs (incl. Logs Insights) and CloudWatch metrics, each put and read back; the
# seed's round trip (OTLP spans and metrics through awsxray and awsemf into Kansoku's own X-Ray and
# CloudWatch Logs APIs, read back with the CLI); AWS's errors for bad input; and aws_auth, which
# makes Kansoku verify every signature (the CLI's and the exporters').
# Needs the jar (mvn package), /usr/bin/aws and curl. Exits non-zero on the first failed check.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/kansoku-server/target/kansoku.jar"
aws_bin=/usr/bin/aws
[ -x "$aws_bin" ] || { echo "awscli: $aws_bin is missing (apt-get install awscli)" >&2; exit 1; }
[ -f "$jar" ] || { echo "awscli: $jar is missing (mvn package)" >&2; exit 1; }

work="$(mktemp -d)"
# shellcheck source=../lib/kansoku.sh
source "$(dirname "$0")/../lib/kansoku.sh"
port="$(free_port)"
otlp="$(free_port)"
# The CLI and the exporters sign with this pair; Kansoku accepts no other (aws_auth).
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_DEFAULT_REGION=us-west-2 AWS_PAGER=""
# The seed's collector pipelines, with awsxray and awsemf pointed at Kansoku's own APIs; the kansoku
# receiver takes what arrives there into the store.
cat > "$work/config.yaml" <<YAML
extensions:
  kansoku:
    endpoint: 127.0.0.1:$port
    storage:
      path: $work/data
    aws_auth:
      access_key_id: \${env:AWS_ACCESS_KEY_ID}
      secret_access_key: \${env:AWS_SECRET_ACCESS_KEY}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$otlp
  kansoku:
processors:
  batch:
    timeout: 50ms
  memory_limiter:
    limit_mib: 100
    check_interval: 5s
exporters:
  awsxray:
    region: us-west-2
    endpoint: http://127.0.0.1:$port
  awsemf:
    region: 'us-west-2'
    dimension_rollup_option: "NoDimensionRollup"
    endpoint: http://127.0.0.1:$port
  kansoku:
service:
  extensions: [kansoku]
  pipelines:
    traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [awsxray]}
    metrics: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [awsemf]}
    # What the CLI and awsemf put through the AWS APIs: log events, their EMF metrics, PutMetricData.
    logs/aws: {receivers: [kansoku], processors: [memory_limiter], exporters: [kansoku]}
    metrics/aws: {receivers: [kansoku], processors: [memory_limiter], exporters: [kansoku]}
YAML
start_kansoku "$jar" 512m "$work/config.yaml"

aws() { "$aws_bin" --endpoint-url "http://127.0.0.1:$port" "$@"; }
passed=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then
    echo "awscli: FAILED $1: expected [$2], got [$3]" >&2
    echo "awscli: the last lines of Kansoku's log:" >&2
    tail -n 20 "$work/kansoku.log" >&2
    echo "1 failed"
    exit 1
  fi
  passed=$((passed + 1))
  echo "ok $1"
}
refused() { # refused NAME CODE COMMAND...: the CLI must fail and print AWS's error code
  local name="$1" code="$2" out
  shift 2
  if out=$("$@" 2>&1); then
    check "$name" "error ($code)" "success: $out"
  fi
  case "$out" in
    *"An error occurred ($code)"*) check "$name" "$code" "$code" ;;
    *) check "$name" "error ($code)" "$out" ;;
  esac
}
retry() { # retry EXPECTED COMMAND...: the output of COMMAND once it equals EXPECTED (exporters are asynchronous)
  local expected="$1" out=""
  shift
  for _ in $(seq 1 50); do
    out=$("$@" 2>&1) && [ "$out" = "$expected" ] && break
    sleep 0.2
  done
  echo "$out"
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

# The seed's round trip: OTLP spans -> awsxray -> Kansoku's PutTraceSegments, read back with the CLI.
# A slow and a fast GET /rolldice, 30 s ago (out of the window of the segment above).
hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
slow_trace="$(printf '%08x' "$now")$(hex 12)"
fast_trace="$(printf '%08x' "$now")$(hex 12)"
seed_trace="1-${slow_trace:0:8}-${slow_trace:8}"
start_ns="$(( (now - 30) * 1000000000 ))"
otlp_span() { # otlp_span TRACE_ID DURATION_MS
  printf '{"traceId":"%s","spanId":"%s","name":"GET /rolldice","kind":2,"startTimeUnixNano":"%s","endTimeUnixNano":"%s","attributes":[{"key":"http.request.method","value":{"stringValue":"GET"}},{"key":"http.response.status_code","value":{"intValue":"200"}}]}' \
    "$1" "$(hex 8)" "$start_ns" "$((start_ns + $2 * 1000000))"
}
check "otlp traces accepted" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  "http://127.0.0.1:$otlp/v1/traces" -d "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"dice-server\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"dice\"},\"spans\":[$(otlp_span "$slow_trace" 250),$(otlp_span "$fast_trace" 5)]}]}]}")"
check "seed: xray get-trace-summaries (OTLP span via awsxray)" "$seed_trace" "$(retry "$seed_trace" "$aws_bin" \
  --endpoint-url "http://127.0.0.1:$port" xray get-trace-summaries --start-time $((now - 40)) --end-time $((now - 20)) \
  --filter-expression 'service("dice-server") AND responsetime > 0.1' --query 'TraceSummaries[].Id' --output text)"
check "seed: xray batch-get-traces" "dice-server" "$(aws xray batch-get-traces --trace-ids "$seed_trace" \
  --query 'Traces[0].Segments[0].Document' --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')"

# The seed's metrics: OTLP -> awsemf -> Kansoku's PutLogEvents -> EMF extraction -> get-metric-data.
check "otlp metrics accepted" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  "http://127.0.0.1:$otlp/v1/metrics" -d "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"dice-server\"}}]},\"scopeMetrics\":[{\"scope\":{\"name\":\"jvm\"},\"metrics\":[{\"name\":\"jvm.thread.count\",\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\"$((now * 1000000000))\",\"asInt\":\"42\"}]}}]}]}]}")"
check "seed: cloudwatch get-metric-data (EMF via awsemf)" 42.0 "$(retry 42.0 "$aws_bin" --endpoint-url \
  "http://127.0.0.1:$port" cloudwatch get-metric-data --start-time $((now - 600)) --end-time $((now + 600)) \
  --metric-data-queries '[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"dice-server","MetricName":"jvm.thread.count","Dimensions":[{"Name":"OTelLib","Value":"jvm"}]},"Period":60,"Stat":"Maximum"}}]' \
  --query 'MetricDataResults[0].Values[0]' --output text)"

# Bad input: AWS's error codes, as the CLI prints them.
refused "logs: invalid name" InvalidParameterException aws logs create-log-group --log-group-name 'bad name!'
refused "logs: unknown group" ResourceNotFoundException aws logs describe-log-streams --log-group-name /no/such
refused "logs: existing group" ResourceAlreadyExistsException aws logs create-log-group --log-group-name /ecs/dice
refused "xray: malformed filter" InvalidRequestException aws xray get-trace-summaries --start-time $((now - 60)) \
  --end-time "$now" --filter-expression 'service("dice-server") AND'
refused "cloudwatch: unknown unit" InvalidParameterValue aws cloudwatch put-metric-data --namespace dice-server \
  --metric-name rolls --value 1 --unit Parsecs
refused "cloudwatch: missing parameter" MissingParameter aws cloudwatch get-metric-statistics --namespace dice-server \
  --metric-name rolls --start-time $((now - 60)) --end-time "$now" --period 60

# aws_auth: a wrong secret or key id is refused in each protocol's terms.
refused "auth: logs wrong secret" InvalidSignatureException env AWS_SECRET_ACCESS_KEY=wrong \
  "$aws_bin" --endpoint-url "http://127.0.0.1:$port" logs describe-log-groups
refused "auth: xray unknown key" UnrecognizedClientException env AWS_ACCESS_KEY_ID=AKIDOTHER \
  "$aws_bin" --endpoint-url "http://127.0.0.1:$port" xray get-sampling-rules
refused "auth: cloudwatch wrong secret" SignatureDoesNotMatch env AWS_SECRET_ACCESS_KEY=wrong \
  "$aws_bin" --endpoint-url "http://127.0.0.1:$port" cloudwatch list-metrics

echo "awscli: $passed passed, 0 failed"
