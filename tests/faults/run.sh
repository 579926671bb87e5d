#!/usr/bin/env bash
# Kansoku on a real full disk, then kill -9, as an unlucky operator would meet them: the embedded store
# on a small tmpfs, OTLP/gRPC load from bench/ack-check throughout; mid-load the disk is filled, later
# freed, later Kansoku is killed with SIGKILL and started again on the same directory. Passes when
# Kansoku refused while full (never a 500), resumed by itself once space was freed (no restart: the log
# says so), and every span it acknowledged is stored exactly once after the kill.
# Needs root (mount), the jar (mvn package) and the bench jar (bench/run-bench builds it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/kansoku-server/target/kansoku.jar"
[ -f "$jar" ] || { echo "faults: $jar is missing (mvn package)" >&2; exit 1; }

work="$(mktemp -d)"
# shellcheck source=../lib/kansoku.sh
source "$(dirname "$0")/../lib/kansoku.sh"
disk="$work/disk"
mkdir -p "$disk"
if ! mount -t tmpfs -o size=48m tmpfs "$disk" 2>"$work/mount.err"; then
  echo "faults: cannot mount a tmpfs here ($(cat "$work/mount.err")); the store's FullDiskTest covers the seam" >&2
  exit 1
fi
port="$(free_port)"
grpc="$(free_port)"
cat > "$work/config.yaml" <<YAML
extensions:
  kansoku:
    endpoint: 127.0.0.1:$port
    storage:
      path: $disk/data
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:$grpc
processors:
  memory_limiter:
    limit_mib: 200
    check_interval: 1s
exporters:
  kansoku:
service:
  extensions: [kansoku]
  pipelines:
    traces: {receivers: [otlp], processors: [memory_limiter], exporters: [kansoku]}
YAML
start_kansoku "$jar" 384m "$work/config.yaml"
trap 'kill -9 $kansoku_pid 2>/dev/null || true; wait $kansoku_pid 2>/dev/null || true; umount -l "$disk" || true; rm -rf "$work"' EXIT

"$root/bench/ack-check" --endpoint "http://127.0.0.1:$grpc" --query "http://127.0.0.1:$port" --duration 40s \
  --rate 4000 --batch 200 --timeline 4s --allow-refused true --verify-timeout 120s > "$work/ack-check.out" 2>&1 &
check_pid=$!

sleep 8
echo "faults: filling the disk ($(df -h --output=avail "$disk" | tail -1 | tr -d ' ') free)"
dd if=/dev/zero of="$disk/filler" bs=1M 2>/dev/null || true
sleep 8
echo "faults: freeing the disk"
rm -f "$disk/filler"
sleep 8
echo "faults: kill -9 and restart"
kill -9 "$kansoku_pid"
wait "$kansoku_pid" 2>/dev/null || true
cp "$work/kansoku.log" "$work/kansoku-before-kill.log"
start_kansoku "$jar" 384m "$work/config.yaml"
trap 'kill -9 $kansoku_pid 2>/dev/null || true; wait $kansoku_pid 2>/dev/null || true; umount -l "$disk" || true; rm -rf "$work"' EXIT

status=0
wait "$check_pid" || status=$?
cat "$work/ack-check.out"
failed=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; failed=1; fi; }
check "every acknowledged span is stored exactly once (ack-check exit $status)" '[ "$status" -eq 0 ]'
check "writes were refused while the disk was full" 'grep -q "No space left on device" "$work/kansoku-before-kill.log"'
check "the store resumed by itself once space was freed" \
  'grep -q "writes are durable again" "$work/kansoku-before-kill.log"'
check "no OutOfMemoryError" '! grep -q OutOfMemoryError "$work/kansoku-before-kill.log" "$work/kansoku.log"'
check "no 500 answered" '! grep -qi "status 500\|Internal Server Error" "$work/ack-check.out"'
echo "$((failed == 0 ? 5 : 0)) passed, $failed failed"
exit "$failed"
