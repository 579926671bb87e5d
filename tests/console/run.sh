#!/usr/bin/env bash
# Browser tests of the console: starts the built jar on a free loopback port with an in-memory
# store, loads the dice app's data through the real ingest paths, and drives the console in
# Debian's headless Chromium (playwright-core). Screenshots go to docs/screenshots/.
# Needs the jar (mvn package), node/npm and /usr/bin/chromium (apt-get install chromium).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/kansoku-server/target/kansoku.jar"
[ -f "$jar" ] || { echo "console: $jar is missing (mvn package)" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "console: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 1; }
(cd "$here" && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error; })

work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
otlp="$(free_port)"
cat > "$work/config.yaml" <<YAML
extensions:
  kansoku:
    endpoint: 127.0.0.1:$port
    storage: {type: memory}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$otlp
exporters:
  kansoku:
service:
  extensions: [kansoku]
  pipelines:
    traces: {receivers: [otlp], exporters: [kansoku]}
    metrics: {receivers: [otlp], exporters: [kansoku]}
    logs: {receivers: [otlp], exporters: [kansoku]}
YAML
java -Xmx1g -jar "$jar" --config "$work/config.yaml" > "$work/kansoku.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  grep -q "Started" "$work/kansoku.log" && break
  kill -0 $pid 2>/dev/null || { cat "$work/kansoku.log" >&2; exit 1; }
  sleep 0.5
done

cd "$here"
KANSOKU_URL="http://127.0.0.1:$port" OTLP_URL="http://127.0.0.1:$otlp" SCREENSHOTS="$root/docs/screenshots" \
  node --test --test-concurrency=1 console.test.js || { tail -n 30 "$work/kansoku.log" >&2; exit 1; }
