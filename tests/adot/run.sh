#!/usr/bin/env bash
# ADOT on ECS, end to end: Kansoku runs two collector configurations shaped like the ones ADOT v0.49.0
# ships for ECS (ecs/ecs-default-config.yaml and ecs/container-insights/otel-task-metrics-config.yaml),
# in a "task" whose metadata endpoint v4 is a local stand-in (ecs-metadata.js, fixtures/), and exports
# with awsxray and awsemf to a third Kansoku that plays AWS (X-Ray, CloudWatch Logs, CloudWatch).
# Then Debian's AWS CLI reads back what ADOT would have produced: the Container Insights task metrics
# (names, dimensions, values computed from the stand-in's docker stats), the EMF log groups, and a trace
# whose segment carries the resourcedetection ecs detector's attributes.
# Needs the jar (mvn package), /usr/bin/aws, node and curl. Prints PASS/FAIL per check; exits non-zero
# when any check fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/kansoku-server/target/kansoku.jar"
aws_bin=/usr/bin/aws
[ -x "$aws_bin" ] || { echo "adot: $aws_bin is missing (apt-get install awscli)" >&2; exit 1; }
[ -f "$jar" ] || { echo "adot: $jar is missing (mvn package)" >&2; exit 1; }
command -v node >/dev/null || { echo "adot: node is missing" >&2; exit 1; }

work="$(mktemp -d)"
# shellcheck source=../../deploy/services/lib.sh
source "$root/deploy/services/lib.sh"
declare -A pid=()
cleanup() {
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pid[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start NAME COMMAND...: runs COMMAND in the background, its output in $work/NAME.log.
start() {
  local name="$1"
  shift
  "$@" > "$work/$name.log" 2>&1 &
  pid[$name]=$!
}
# wait_for NAME TEXT: until $work/NAME.log contains TEXT; exits with the log if NAME ends first.
wait_for() {
  for _ in $(seq 1 240); do
    grep -q "$2" "$work/$1.log" && return 0
    kill -0 "${pid[$1]}" 2>/dev/null || { echo "adot: $1 ended:" >&2; cat "$work/$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "adot: $1 did not start within 120 s:" >&2
  cat "$work/$1.log" >&2
  exit 1
}

export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_REGION=us-west-2 \
  AWS_DEFAULT_REGION=us-west-2 AWS_PAGER=""
aws_port="$(free_port)"
meta_port="$(free_port)"
task_id=6f0c1b2a9d3e4f5a8b7c6d5e4f3a2b1c
cluster=kansoku-e2e
export ECS_CONTAINER_METADATA_URI_V4="http://127.0.0.1:$meta_port/v4/$task_id-2602457921"

start metadata node "$here/ecs-metadata.js" "$meta_port" "/v4/$task_id-2602457921"
wait_for metadata "stand-in on"

# "AWS": the store and the AWS-compatible endpoints; what the exporters write there enters the store.
cat > "$work/aws.yaml" <<YAML
extensions:
  kansoku:
    endpoint: 127.0.0.1:$aws_port
    storage:
      path: $work/data
receivers:
  kansoku:
exporters:
  kansoku:
service:
  extensions: [kansoku]
  pipelines:
    traces: {receivers: [kansoku], exporters: [kansoku]}
    metrics: {receivers: [kansoku], exporters: [kansoku]}
    logs: {receivers: [kansoku], exporters: [kansoku]}
YAML
start aws java -Xmx384m -jar "$jar" --config "$work/aws.yaml"
wait_for aws "Started"

# The sidecar with ADOT's ecs-default configuration: loopback ports instead of 0.0.0.0's, batches of
# 1 s, awsxray and awsemf pointed at "AWS" above, and resourcedetection (env, ecs) on traces.
default_otlp="$(free_port)"
cat > "$work/ecs-default.yaml" <<YAML
extensions:
  health_check:
    endpoint: 127.0.0.1:$(free_port)
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:$(free_port)
      http:
        endpoint: 127.0.0.1:$default_otlp
  awsxray:
    endpoint: 127.0.0.1:$(free_port)
    transport: udp
  statsd:
    endpoint: 127.0.0.1:$(free_port)
    aggregation_interval: 1s
processors:
  resourcedetection:
    detectors: [env, ecs]
  batch/traces:
    timeout: 1s
    send_batch_size: 50
  batch/metrics:
    timeout: 1s
exporters:
  awsxray:
    endpoint: http://127.0.0.1:$aws_port
  awsemf:
    namespace: ECS/AWSOTel/Application
    log_group_name: '/aws/ecs/application/metrics'
    endpoint: http://127.0.0.1:$aws_port
service:
  pipelines:
    traces:
      receivers: [otlp, awsxray]
      processors: [resourcedetection, batch/traces]
      exporters: [awsxray]
    metrics:
      receivers: [otlp, statsd]
      processors: [batch/metrics]
      exporters: [awsemf]
  extensions: [health_check]
YAML

# The sidecar with ADOT's Container Insights task-metrics configuration: the same changes, the receiver
# collecting every 2 s, and its filter, metricstransform and resource processors as shipped.
cat > "$work/task-metrics.yaml" <<YAML
extensions:
  health_check:
    endpoint: 127.0.0.1:$(free_port)
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:$(free_port)
      http:
        endpoint: 127.0.0.1:$(free_port)
  awsxray:
    endpoint: 127.0.0.1:$(free_port)
    transport: udp
  statsd:
    endpoint: 127.0.0.1:$(free_port)
    aggregation_interval: 1s
  awsecscontainermetrics:
    collection_interval: 2s
processors:
  batch/traces:
    timeout: 1s
    send_batch_size: 50
  batch/metrics:
    timeout: 1s
  filter:
    metrics:
      include:
        match_type: strict
        metric_names:
          - ecs.task.memory.reserved
          - ecs.task.memory.utilized
          - ecs.task.cpu.reserved
          - ecs.task.cpu.utilized
          - ecs.task.network.rate.rx
          - ecs.task.network.rate.tx
          - ecs.task.storage.read_bytes
          - ecs.task.storage.write_bytes
          - container.duration
  metricstransform:
    transforms:
      - {include: ecs.task.memory.utilized, action: update, new_name: MemoryUtilized}
      - {include: ecs.task.memory.reserved, action: update, new_name: MemoryReserved}
      - {include: ecs.task.cpu.utilized, action: update, new_name: CpuUtilized}
      - {include: ecs.task.cpu.reserved, action: update, new_name: CpuReserved}
      - {include: ecs.task.network.rate.rx, action: update, new_name: NetworkRxBytes}
      - {include: ecs.task.network.rate.tx, action: update, new_name: NetworkTxBytes}
      - {include: ecs.task.storage.read_bytes, action: update, new_name: StorageReadBytes}
      - {include: ecs.task.storage.write_bytes, action: update, new_name: StorageWriteBytes}
  resource:
    attributes:
$(for pair in ClusterName=aws.ecs.cluster.name ServiceName=aws.ecs.service.name TaskId=aws.ecs.task.id \
    TaskDefinitionFamily=aws.ecs.task.family TaskARN=aws.ecs.task.arn DockerName=aws.ecs.docker.name \
    TaskDefinitionRevision=aws.ecs.task.version PullStartedAt=aws.ecs.task.pull_started_at \
    PullStoppedAt=aws.ecs.task.pull_stopped_at AvailabilityZone=cloud.zone LaunchType=aws.ecs.task.launch_type \
    Region=cloud.region AccountId=cloud.account.id DockerId=container.id ContainerName=container.name \
    Image=container.image.name ImageId=aws.ecs.container.image.id ExitCode=aws.ecs.container.exit_code \
    CreatedAt=aws.ecs.container.created_at StartedAt=aws.ecs.container.started_at \
    FinishedAt=aws.ecs.container.finished_at ImageTag=container.image.tag; do
  printf '      - {key: %s, from_attribute: %s, action: insert}\n      - {key: %s, action: delete}\n' \
    "${pair%%=*}" "${pair#*=}" "${pair#*=}"
done)
exporters:
  awsxray:
    endpoint: http://127.0.0.1:$aws_port
  awsemf/application:
    namespace: ECS/AWSOTel/Application
    log_group_name: '/aws/ecs/application/metrics'
    endpoint: http://127.0.0.1:$aws_port
  awsemf/performance:
    namespace: ECS/ContainerInsights
    log_group_name: '/aws/ecs/containerinsights/{ClusterName}/performance'
    log_stream_name: '{TaskId}'
    resource_to_telemetry_conversion:
      enabled: true
    dimension_rollup_option: NoDimensionRollup
    endpoint: http://127.0.0.1:$aws_port
    metric_declarations:
      - dimensions: [ [ ClusterName ], [ ClusterName, TaskDefinitionFamily ] ]
        metric_name_selectors:
          - MemoryUtilized
          - MemoryReserved
          - CpuUtilized
          - CpuReserved
          - NetworkRxBytes
          - NetworkTxBytes
          - StorageReadBytes
          - StorageWriteBytes
      - metric_name_selectors: [container.*]
service:
  pipelines:
    traces:
      receivers: [otlp, awsxray]
      processors: [batch/traces]
      exporters: [awsxray]
    metrics/application:
      receivers: [otlp, statsd]
      processors: [batch/metrics]
      exporters: [awsemf/application]
    metrics/performance:
      receivers: [awsecscontainermetrics]
      processors: [filter, metricstransform, resource]
      exporters: [awsemf/performance]
  extensions: [health_check]
YAML

# One after the other: three JVMs starting at once on a small machine can exceed the detection timeout.
start ecs-default java -Xmx256m -jar "$jar" --config "$work/ecs-default.yaml"
wait_for ecs-default "Started"
start task-metrics java -Xmx256m -jar "$jar" --config "$work/task-metrics.yaml"
wait_for task-metrics "Started"

aws() { "$aws_bin" --endpoint-url "http://127.0.0.1:$aws_port" "$@"; }
passed=0
failed=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
    echo "PASS $1"
  else
    failed=$((failed + 1))
    echo "FAIL $1: expected [$2], got [$3]"
  fi
}
eventually() { # eventually EXPECTED COMMAND...: COMMAND's output once it equals EXPECTED, else its last output (20 s)
  local expected="$1" out=""
  shift
  for _ in $(seq 1 40); do
    out=$("$@" 2>&1) && [ "$out" = "$expected" ] && break
    sleep 0.5
  done
  echo "$out"
}
now=$(date +%s)

# Container Insights (ECS/ContainerInsights), task level. The stand-in's task: 0.5 vCPU and 1024 MiB
# reserved; dice uses 0.2 vCPU and 300 MiB with 50 MiB of page cache, the collector 0.05 vCPU and
# 100 MiB with 20 MiB of cache; network rates 2048.5 + 512 B/s in and 1024.25 + 256 B/s out; per
# collection, each of the two running containers reads 4096 more bytes and writes 8192 more.
metrics='CpuReserved CpuUtilized MemoryReserved MemoryUtilized NetworkRxBytes NetworkTxBytes StorageReadBytes StorageWriteBytes'
list() {
  aws cloudwatch list-metrics --namespace ECS/ContainerInsights \
    --query 'sort(Metrics[?length(Dimensions)==`1`].MetricName)' --output text
}
check "list-metrics ECS/ContainerInsights [ClusterName]" "$(echo $metrics | tr ' ' '\t')" \
  "$(eventually "$(echo $metrics | tr ' ' '\t')" list)"
check "list-metrics ECS/ContainerInsights [ClusterName, TaskDefinitionFamily]" "$(echo $metrics | tr ' ' '\t')" \
  "$(aws cloudwatch list-metrics --namespace ECS/ContainerInsights \
    --dimensions Name=ClusterName,Value=$cluster Name=TaskDefinitionFamily,Value=dice \
    --query 'sort(Metrics[].MetricName)' --output text)"
check "list-metrics dimension names" "ClusterName	TaskDefinitionFamily" \
  "$(aws cloudwatch list-metrics --namespace ECS/ContainerInsights --metric-name CpuUtilized \
    --query 'sort(Metrics[?length(Dimensions)==`2`].Dimensions[].Name)' --output text)"
check "list-metrics ClusterName value" "$cluster" \
  "$(aws cloudwatch list-metrics --namespace ECS/ContainerInsights --metric-name MemoryUtilized \
    --query 'Metrics[?length(Dimensions)==`1`].Dimensions[0].Value' --output text)"

stat() { # stat METRIC STATISTIC: the statistic over the last 10 minutes, task family dice, one value
  aws cloudwatch get-metric-statistics --namespace ECS/ContainerInsights --metric-name "$1" \
    --dimensions Name=ClusterName,Value=$cluster Name=TaskDefinitionFamily,Value=dice \
    --start-time $((now - 600)) --end-time $((now + 600)) --period 1200 --statistics "$2" \
    --query "Datapoints[0].$2" --output text
}
check "get-metric-statistics CpuUtilized Maximum (0.25 vCPU in CPU units)" 256.0 "$(stat CpuUtilized Maximum)"
check "get-metric-statistics CpuReserved Maximum" 512.0 "$(stat CpuReserved Maximum)"
check "get-metric-statistics MemoryUtilized Maximum (MiB)" 330.0 "$(stat MemoryUtilized Maximum)"
check "get-metric-statistics MemoryReserved Minimum (MiB)" 1024.0 "$(stat MemoryReserved Minimum)"
check "get-metric-statistics NetworkRxBytes Average" 2560.5 "$(stat NetworkRxBytes Average)"
check "get-metric-statistics NetworkTxBytes Average" 1280.25 "$(stat NetworkTxBytes Average)"
unit() { # unit METRIC: the unit CloudWatch reports for METRIC's datapoints
  aws cloudwatch get-metric-statistics --namespace ECS/ContainerInsights --metric-name "$1" \
    --dimensions Name=ClusterName,Value=$cluster --start-time $((now - 600)) --end-time $((now + 600)) \
    --period 1200 --statistics Maximum --query 'Datapoints[0].Unit' --output text
}
# The receiver's units as awsemf passes them: Bytes is a CloudWatch unit, MiB is not (so None).
check "get-metric-statistics StorageReadBytes unit" Bytes "$(unit StorageReadBytes)"
check "get-metric-statistics MemoryUtilized unit (MiB is no CloudWatch unit)" None "$(unit MemoryUtilized)"
# Cumulative counters reach CloudWatch as the change since the previous collection.
data() { # data METRIC STAT: get-metric-data over [ClusterName] only
  aws cloudwatch get-metric-data --start-time $((now - 600)) --end-time $((now + 600)) --metric-data-queries \
    "[{\"Id\":\"m\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"ECS/ContainerInsights\",\"MetricName\":\"$1\",\"Dimensions\":[{\"Name\":\"ClusterName\",\"Value\":\"$cluster\"}]},\"Period\":1200,\"Stat\":\"$2\"}}]" \
    --query 'MetricDataResults[0].Values[0]' --output text
}
check "get-metric-data StorageReadBytes Maximum (bytes per collection)" 8192.0 "$(data StorageReadBytes Maximum)"
check "get-metric-data StorageWriteBytes Minimum (bytes per collection)" 16384.0 "$(data StorageWriteBytes Minimum)"
check "get-metric-data CpuUtilized Minimum" 256.0 "$(data CpuUtilized Minimum)"

# The EMF log group of the performance events, and its stream named by the task id.
check "logs describe-log-groups (performance)" "/aws/ecs/containerinsights/$cluster/performance" \
  "$(aws logs describe-log-groups --log-group-name-prefix /aws/ecs/containerinsights \
    --query 'logGroups[0].logGroupName' --output text)"
check "logs describe-log-streams (task id)" "$task_id" \
  "$(aws logs describe-log-streams --log-group-name "/aws/ecs/containerinsights/$cluster/performance" \
    --query 'logStreams[0].logStreamName' --output text)"
# A performance event as ADOT writes it: the metric values and the resource attributes renamed by the
# resource processor (TaskARN, LaunchType, ...), with the metric declarations' dimensions.
event() { # event JMESPATH: of the first EMF event holding CpuUtilized
  aws logs filter-log-events --log-group-name "/aws/ecs/containerinsights/$cluster/performance" \
    --filter-pattern '{ $.CpuUtilized = * }' --limit 1 --query 'events[0].message' --output text |
    python3 -c "import json,sys; e=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"
}
check "EMF event: TaskARN" "arn:aws:ecs:us-west-2:123456789012:task/$cluster/$task_id" "$(event 'e["TaskARN"]')"
check "EMF event: LaunchType, Region, AccountId" "FARGATE us-west-2 123456789012" \
  "$(event '" ".join([e["LaunchType"], e["Region"], e["AccountId"]])')"
check "EMF event: dimensions" "[['ClusterName'], ['ClusterName', 'TaskDefinitionFamily']]" \
  "$(event 'e["_aws"]["CloudWatchMetrics"][0]["Dimensions"]')"
check "EMF event: MemoryUtilized unit" MiB \
  "$(event '[m["Unit"] for m in e["_aws"]["CloudWatchMetrics"][0]["Metrics"] if m["Name"] == "MemoryUtilized"][0]')"

# The stopped init container: container.duration, 42.5 s from StartedAt to FinishedAt.
check "EMF event: container.duration of dice-init" "dice-init 42.5" \
  "$(aws logs filter-log-events --log-group-name "/aws/ecs/containerinsights/$cluster/performance" \
    --filter-pattern '{ $.ContainerName = "dice-init" }' --limit 1 --query 'events[0].message' --output text |
    python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["ContainerName"], e["container.duration"])')"

# ecs-default: one OTLP/HTTP span; resourcedetection's ecs detector fills the segment's aws.ecs block.
trace_hex="$(printf '%08x' "$now")$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
trace="1-${trace_hex:0:8}-${trace_hex:8}"
start_ns="$(( (now - 5) * 1000000000 ))"
check "otlp http: span accepted" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  "http://127.0.0.1:$default_otlp/v1/traces" -d "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"dice-server\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"dice\"},\"spans\":[{\"traceId\":\"$trace_hex\",\"spanId\":\"$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')\",\"name\":\"GET /rolldice\",\"kind\":2,\"startTimeUnixNano\":\"$start_ns\",\"endTimeUnixNano\":\"$((start_ns + 120000000))\",\"attributes\":[{\"key\":\"http.request.method\",\"value\":{\"stringValue\":\"GET\"}},{\"key\":\"http.response.status_code\",\"value\":{\"intValue\":\"200\"}}]}]}]}]}")"
check "xray batch-get-traces: trace found" "$trace" "$(eventually "$trace" "$aws_bin" --endpoint-url \
  "http://127.0.0.1:$aws_port" xray batch-get-traces --trace-ids "$trace" --query 'Traces[0].Id' --output text)"
segment() { # segment PYTHON_EXPR: of the trace's first segment document, as d
  aws xray batch-get-traces --trace-ids "$trace" --query 'Traces[0].Segments[0].Document' --output text |
    python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"
}
check "segment: name and origin" "dice-server AWS::ECS::Fargate" "$(segment 'd["name"] + " " + d["origin"]')"
check "segment: aws.ecs.cluster_arn" "arn:aws:ecs:us-west-2:123456789012:cluster/$cluster" \
  "$(segment 'd["aws"]["ecs"]["cluster_arn"]')"
check "segment: aws.ecs.task_arn, task_family" "arn:aws:ecs:us-west-2:123456789012:task/$cluster/$task_id dice" \
  "$(segment 'd["aws"]["ecs"]["task_arn"] + " " + d["aws"]["ecs"]["task_family"]')"
check "segment: aws.ecs.availability_zone, launch_type" "us-west-2b fargate" \
  "$(segment 'd["aws"]["ecs"]["availability_zone"] + " " + d["aws"]["ecs"]["launch_type"]')"

# ecs-default: an application metric through awsemf into its namespace and log group.
check "otlp http: metric accepted" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  "http://127.0.0.1:$default_otlp/v1/metrics" -d "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"dice-server\"}}]},\"scopeMetrics\":[{\"scope\":{\"name\":\"dice\"},\"metrics\":[{\"name\":\"dice.rolls.pending\",\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\"$((now * 1000000000))\",\"asInt\":\"7\"}]}}]}]}]}")"
check "cloudwatch get-metric-data ECS/AWSOTel/Application" 7.0 "$(eventually 7.0 "$aws_bin" --endpoint-url \
  "http://127.0.0.1:$aws_port" cloudwatch get-metric-data --start-time $((now - 600)) --end-time $((now + 600)) \
  --metric-data-queries '[{"Id":"m","MetricStat":{"Metric":{"Namespace":"ECS/AWSOTel/Application","MetricName":"dice.rolls.pending","Dimensions":[{"Name":"OTelLib","Value":"dice"}]},"Period":60,"Stat":"Maximum"}}]' \
  --query 'MetricDataResults[0].Values[0]' --output text)"
check "logs describe-log-groups (application)" /aws/ecs/application/metrics \
  "$(aws logs describe-log-groups --log-group-name-prefix /aws/ecs/application \
    --query 'logGroups[0].logGroupName' --output text)"

echo "adot: $passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
  for name in aws ecs-default task-metrics; do
    echo "adot: the last lines of $name's log:"
    tail -n 15 "$work/$name.log"
  done
  exit 1
fi
