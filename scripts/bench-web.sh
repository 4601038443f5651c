#!/usr/bin/env bash
# Measures start-up, idle memory and signed-in page throughput against /healthz (the ceiling of
# this machine) in the same run. Needs `wrk` (Debian package) and a release build.
# Usage: scripts/bench-web.sh [connections=50] [seconds=20]
# BENCH_ENGINE=postgres runs it on a fresh database on 127.0.0.1:5432 instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNS=${1:-50}
SECS=${2:-20}
PORT=${BENCH_PORT:-8181}
BIN=target/release/hearth
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release -p hearth >/dev/null
DIR=$(mktemp -d)
PGDB=""
cleanup() {
  kill "$PID" 2>/dev/null || true
  rm -rf "$DIR"
  [ -z "$PGDB" ] || psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" || true
}
PID=""
trap cleanup EXIT
export HEARTH_DATA_DIR="$DIR" HEARTH_LOG=warn HEARTH_DEMO_PASSWORD=bench-password-123
unset DATABASE_URL
if [ "${BENCH_ENGINE:-sqlite}" = "postgres" ]; then
  PGDB="hearth_bench_$$"
  psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $PGDB"
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$PGDB"
fi
ENGINE=${BENCH_ENGINE:-sqlite}

wait_ready() {
  local start=$1
  until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.005; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}

# First start creates and seeds the database; the second measures start-up on an existing one.
"$BIN" serve --demo --listen "127.0.0.1:$PORT" >"$DIR/first.log" 2>&1 & PID=$!
wait_ready "$(date +%s%N)" >/dev/null
kill "$PID"; wait "$PID" 2>/dev/null || true

START=$(date +%s%N)
"$BIN" serve --listen "127.0.0.1:$PORT" >"$DIR/serve.log" 2>&1 & PID=$!
READY_MS=$(wait_ready "$START")
sleep 2
IDLE_RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")

JAR="$DIR/jar"
curl -fs -c "$JAR" -b "$JAR" "http://127.0.0.1:$PORT/sign-in" -o "$DIR/signin.html"
CSRF=$(grep -o 'name="csrf_token" value="[^"]*"' "$DIR/signin.html" | head -1 | sed 's/.*value="//; s/"$//')
curl -fs -c "$JAR" -b "$JAR" -o /dev/null \
  --data-urlencode "csrf_token=$CSRF" --data-urlencode "email=lead@demo.hearth.test" \
  --data-urlencode "password=$HEARTH_DEMO_PASSWORD" --data-urlencode "next=/" \
  "http://127.0.0.1:$PORT/sign-in"
TOKEN=$(awk '$6 == "hearth_session" {print $7}' "$JAR")
[ -n "$TOKEN" ] || { echo "sign-in failed" >&2; cat "$DIR/serve.log" >&2; exit 1; }
HOME_PAGE=$(curl -fs -H "Cookie: hearth_session=$TOKEN" "http://127.0.0.1:$PORT/")
grep -q "My work" <<<"$HOME_PAGE" || { echo "the signed-in page did not render" >&2; exit 1; }

run() { wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@"; }
echo "== machine"; nproc; grep -m1 'model name' /proc/cpuinfo || true
echo "== engine: $ENGINE"
echo "== start-up to ready on an existing database: ${READY_MS} ms"
echo "== idle resident memory: $((IDLE_RSS_KB / 1024)) MiB (${IDLE_RSS_KB} kB)"
echo "== /healthz, $CONNS connections, ${SECS}s"
HEALTH=$(run "http://127.0.0.1:$PORT/healthz"); echo "$HEALTH"
echo "== signed-in page / (My work), $CONNS connections, ${SECS}s"
PAGE=$(run -H "Cookie: hearth_session=$TOKEN" "http://127.0.0.1:$PORT/"); echo "$PAGE"
LOADED_RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
echo "== resident memory after load: $((LOADED_RSS_KB / 1024)) MiB"
echo "== ratio: signed-in page / healthz throughput = $(awk -v a="$(rps "$PAGE")" -v b="$(rps "$HEALTH")" 'BEGIN {printf "%.2f", a / b}')"
echo "$PAGE" | grep -q "Non-2xx" && { echo "ERROR: non-2xx responses on the page" >&2; exit 1; } || true
