#!/usr/bin/env bash
# Steps the load up to find the most this machine sustains within the targets (every step's
# p95 under 100 ms and p99 under 250 ms, no errors): the same practitioners with shorter and
# shorter think times, each level a fresh server on the same generated city
# (scripts/load-test.sh, which generates the city first if it has not been).
#
# Usage: scripts/load-steps.sh [sqlite|postgres] [users=300] [seconds=90] [levels]
#   levels: think times in ms as "min:max" pairs (default "5000:15000 3000:9000 2500:7500
#   2000:6000 1500:4500")
# Writes each level's log and JSON, and the summary table, under target/city/steps-ENGINE/.
# Needs jq for the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINE=${1:-sqlite}
USERS=${2:-300}
SECS=${3:-90}
LEVELS=${4:-"5000:15000 3000:9000 2500:7500 2000:6000 1500:4500"}
OUT=target/city/steps-$ENGINE
mkdir -p "$OUT"
SUMMARY=$OUT/summary.md
# Append to the summary when it exists (levels added later are rows of the same table).
[ -f "$SUMMARY" ] || {
  echo "$ENGINE, $USERS users, $SECS s a level, $(nproc) cores, load average at the start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| think time (s) | requests/s | worst p95 (ms) | worst p99 (ms) | errors | server RSS (MiB) | within the targets |"
  echo "|---|---|---|---|---|---|---|"
} >"$SUMMARY"
for level in $LEVELS; do
  min=${level%:*}
  max=${level#*:}
  # Steps with fewer than 20 requests (sign-in, mostly done before the measured time) have
  # no meaningful p95 and are left out of the worst figures.
  # A level past the machine's capacity ends with errors (and a failed exit): it is still
  # a row of the table.
  LOAD_THINK_MIN=$min LOAD_THINK_MAX=$max LOAD_JSON="$OUT/$level.json" \
    scripts/load-test.sh "$ENGINE" city "$USERS" "$SECS" >"$OUT/$level.log" 2>&1 || true
  jq -r --arg think "$(awk -v a="$min" -v b="$max" 'BEGIN { printf "%g–%g", a / 1000, b / 1000 }')" '
    [.steps[] | select(.requests >= 20)] as $s
    | ($s | map(.per_second) | add) as $rps
    | ($s | map(.p95_ms) | max) as $p95
    | ($s | map(.p99_ms) | max) as $p99
    | ($s | map(.errors) | add) as $errors
    | "| \($think) | \($rps * 10 | round / 10) | \($p95) | \($p99) | \($errors) | \((.server_rss_kib // 0) / 1024 | round) | \(if $p95 < 100 and $p99 < 250 and $errors == 0 then "yes" else "no" end) |"
  ' "$OUT/$level.json" >>"$SUMMARY"
  tail -1 "$SUMMARY" >&2
done
echo >>"$SUMMARY"
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)" >>"$SUMMARY"
cat "$SUMMARY"
