#!/usr/bin/env bash
# The city-scale load test: generates the city demo into a fresh database (or reuses the one a
# previous run generated), starts Hearth on it, runs `hearth-load run` (goose: /healthz as the
# ceiling, then practitioners' journeys with think time) and prints the table.
#
# Usage: scripts/load-test.sh [sqlite|postgres] [scale=city] [users=300] [seconds=120]
# Environment:
#   LOAD_PROFILE=release|debug   which build to use (release; built under CARGO_TARGET_DIR if set)
#   LOAD_BIN_DIR=dir             use the hearth and hearth-load binaries in dir, built earlier
#   LOAD_FRESH=1                 generate the city again even if a database exists
#   LOAD_THINK_MIN / LOAD_THINK_MAX   think time in ms (5000 / 15000; 0 and 0 for none)
#   LOAD_HATCH=10                users started per second
#   LOAD_CEILING_SECONDS=15      how long /healthz is measured first
#   LOAD_JSON=file               also write the results as JSON
#   LOAD_DASHBOARDS=1            add analysts and team managers reading the dashboards
#   LOAD_HUBS=1                  add hub workers marking registers of 30 and the analyst
#                                reading the hubs' reach over ten years
#   LOAD_WARM_UP=1               before measuring, read every set of figures once and set up
#                                the hub workers' registers (a server that has been running)
#   LOAD_SOAK_SAMPLE=seconds     every so often, print the server's resident memory and a
#                                separate session's My work page time (for a soak)
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINE=${1:-sqlite}
SCALE=${2:-city}
USERS=${3:-300}
SECS=${4:-120}
PROFILE=${LOAD_PROFILE:-release}
PORT=${LOAD_PORT:-18280}
export HEARTH_DEMO_PASSWORD=${HEARTH_DEMO_PASSWORD:-family-help-demo}
if [ -n "${LOAD_BIN_DIR:-}" ]; then
  # Binaries built earlier (a build kept aside to measure while the tree moves on).
  BIN=$LOAD_BIN_DIR/hearth
  LOAD=$LOAD_BIN_DIR/hearth-load
else
  if [ "$PROFILE" = release ]; then
    cargo build --release -q -p hearth -p hearth-load
  else
    cargo build -q -p hearth -p hearth-load
  fi
  BIN=${CARGO_TARGET_DIR:-target}/$PROFILE/hearth
  LOAD=${CARGO_TARGET_DIR:-target}/$PROFILE/hearth-load
fi
STATE=target/city
mkdir -p "$STATE"
NAME="$ENGINE-$SCALE"
ACCOUNTS="$STATE/$NAME.accounts"

case "$ENGINE" in
  sqlite) export DATABASE_URL="sqlite://$PWD/$STATE/$NAME.db" ;;
  postgres)
    DB="hearth_city_${SCALE//./_}"
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" ;;
  *) echo "the engine must be sqlite or postgres, not $ENGINE" >&2; exit 2 ;;
esac

if [ -n "${LOAD_FRESH:-}" ] || [ ! -f "$ACCOUNTS" ]; then
  rm -f "$ACCOUNTS" "$STATE/$NAME".db*
  if [ "$ENGINE" = postgres ]; then
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  fi
  echo "load-test: generating the $SCALE demo on $ENGINE" >&2
  START=$(date +%s)
  "$BIN" demo --scale "$SCALE" | tee "$STATE/$NAME.generate.log"
  echo "load-test: generated in $(( $(date +%s) - START )) s (wall clock, including migrations)" >&2
  grep '^Accounts:' "$STATE/$NAME.generate.log" | sed 's/^Accounts: //' >"$ACCOUNTS"
fi
# workers=N partners=N officers=N
# shellcheck disable=SC1090
. <(tr ' ' '\n' <"$ACCOUNTS")

LOG=$(mktemp)
PID=""
cleanup() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; rm -f "$LOG"; }
trap cleanup EXIT
# Every simulated practitioner comes from 127.0.0.1 and searches faster than a person would:
# the anti-automation limits would measure themselves, not the server, so they are off here.
export HEARTH_RATE_LIMIT_SEARCH_PER_USER=0 HEARTH_RATE_LIMIT_SEARCH_PER_ADDRESS=0 \
  HEARTH_RATE_LIMIT_API_PER_USER=0 HEARTH_RATE_LIMIT_API_PER_ADDRESS=0 \
  HEARTH_RATE_LIMIT_SIGN_IN_PER_ADDRESS=0 HEARTH_SEARCH_ALERT_PER_HOUR=0
RUST_LOG=warn "$BIN" serve --listen "127.0.0.1:$PORT" >"$LOG" 2>&1 & PID=$!
until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null; do
  kill -0 "$PID" 2>/dev/null || { echo "the server exited:" >&2; cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
echo "load-test: idle resident memory $(awk '/VmRSS/ {print $2}' "/proc/$PID/status") KiB" >&2
if [ -n "${LOAD_SOAK_SAMPLE:-}" ]; then
  # A soak's drift: every so often the server's memory and, from a separate signed-in
  # session (a team manager's My work), the median and worst of ten page loads.
  JAR=$(mktemp)
  BASE="http://127.0.0.1:$PORT"
  TOKEN=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/sign-in" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  curl -fs -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "csrf_token=$TOKEN" \
    --data-urlencode "email=manager1@city.hearth.test" --data-urlencode "password=$HEARTH_DEMO_PASSWORD" "$BASE/sign-in"
  ( while kill -0 "$PID" 2>/dev/null; do
      times=$(for _ in $(seq 10); do curl -fs -b "$JAR" -o /dev/null -w '%{time_total}\n' "$BASE/"; done | sort -n)
      echo "load-test: soak $(date +%T) resident memory $(awk '/VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null) KiB; My work median $(sed -n 5p <<<"$times") s, worst $(tail -1 <<<"$times") s" >&2
      sleep "$LOAD_SOAK_SAMPLE"
    done ) &
fi
echo "load-test: machine $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$LOAD" run --host "http://127.0.0.1:$PORT" --users "$USERS" --run-time "$SECS" \
  --hatch-rate "${LOAD_HATCH:-10}" --ceiling-seconds "${LOAD_CEILING_SECONDS:-15}" \
  --think-min "${LOAD_THINK_MIN:-5000}" --think-max "${LOAD_THINK_MAX:-15000}" \
  --workers "$workers" --partners "$partners" --officers "$officers" \
  --server-pid "$PID" --label "$ENGINE, $SCALE, $USERS users" \
  ${LOAD_JSON:+--json "$LOAD_JSON"} ${LOAD_DASHBOARDS:+--dashboards} ${LOAD_HUBS:+--hubs} ${LOAD_WARM_UP:+--warm-up} 2> >(grep -v '\[INFO\]' >&2)
echo "load-test: load average after $(cut -d' ' -f1-3 /proc/loadavg)" >&2
