#!/usr/bin/env bash
# The small versions of the city-scale load test and the crash test, for CI (about a minute):
# a village-sized demo, 20 users for 15 s with short think time (no step may fail), and three
# SIGKILLs under write load (nothing acknowledged may be lost). On SQLite always; on
# PostgreSQL too, which under CI=true must be reachable at 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
export LOAD_PROFILE=debug LOAD_FRESH=1 LOAD_THINK_MIN=100 LOAD_THINK_MAX=500 LOAD_HATCH=20 \
  LOAD_CEILING_SECONDS=3
engines=sqlite
if psql -q -h 127.0.0.1 -U postgres -d test -c 'SELECT 1' >/dev/null 2>&1; then
  engines="sqlite postgres"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL at 127.0.0.1:5432 is unreachable: CI needs it for the load and crash tests" >&2
  exit 1
else
  echo "SKIPPED on PostgreSQL: 127.0.0.1:5432 is unreachable (the SQLite run goes ahead)."
fi
for engine in $engines; do
  echo "== load test (small), $engine"
  scripts/load-test.sh "$engine" 0.005 20 15
done
if [ "$engines" = sqlite ]; then
  scripts/crash-test.sh 3 sqlite
else
  scripts/crash-test.sh 3 both
fi
