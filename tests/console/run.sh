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
# shellcheck source=../lib/kansoku.sh
source "$(dirname "$0")/../lib/kansoku.sh"
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
  kansoku:
exporters:
  kansoku:
service:
  extensions: [kansoku]
  pipelines:
    traces: {receivers: [otlp, kansoku], exporters: [kansoku]}
    metrics: {receivers: [otlp, kansoku], exporters: [kansoku]}
    logs: {receivers: [otlp, kansoku], exporters: [kansoku]}
YAML
start_kansoku "$jar" 1g "$work/config.yaml"

cd "$here"
KANSOKU_URL="http://127.0.0.1:$port" OTLP_URL="http://127.0.0.1:$otlp" SCREENSHOTS="$root/docs/screenshots" \
  node --test --test-concurrency=1 ${CONSOLE_TESTS:+--test-name-pattern="$CONSOLE_TESTS"} console.test.js || { tail -n 30 "$work/kansoku.log" >&2; exit 1; }
