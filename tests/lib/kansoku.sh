# Sourced by the test scripts that drive a real Kansoku: free loopback ports, and the jar started in
# the background with its output in $work/kansoku.log, stopped (and $work removed) when the script exits.

# shellcheck source=../../deploy/services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../deploy/services/lib.sh"

# start_kansoku JAR HEAP CONFIG: returns once Kansoku has started; exits with its log if it does not.
start_kansoku() {
  java "-Xmx$2" -jar "$1" --config "$3" > "$work/kansoku.log" 2>&1 &
  kansoku_pid=$!
  trap 'kill $kansoku_pid 2>/dev/null || true; wait $kansoku_pid 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 1 120); do
    grep -q "Started" "$work/kansoku.log" && return 0
    kill -0 $kansoku_pid 2>/dev/null || { cat "$work/kansoku.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "Kansoku did not start within 60 s:" >&2
  cat "$work/kansoku.log" >&2
  exit 1
}
