#!/usr/bin/env bash
# The crash test on both engines: `hearth-load crash` generates a small city demo into a new
# database, writes case notes from several workers while killing the server with SIGKILL
# again and again, then checks every acknowledged note is there, nothing is half-written and
# `hearth audit verify` passes.
#
# Usage: scripts/crash-test.sh [kills=20] [sqlite|postgres|both]
# Environment: LOAD_PROFILE=release|debug (release)
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${1:-20}
ENGINES=${2:-both}
PROFILE=${LOAD_PROFILE:-release}
if [ "$PROFILE" = release ]; then
  cargo build --release -q -p hearth -p hearth-load
else
  cargo build -q -p hearth -p hearth-load
fi
DIR=$(mktemp -d)
PGDB="hearth_crash_$$"
cleanup() {
  rm -rf "$DIR"
  psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" 2>/dev/null || true
}
trap cleanup EXIT
status=0
if [ "$ENGINES" = sqlite ] || [ "$ENGINES" = both ]; then
  echo "== crash test, SQLite, $KILLS kills"
  "target/$PROFILE/hearth-load" crash --bin "target/$PROFILE/hearth" --kills "$KILLS" \
    --database-url "sqlite://$DIR/crash.db" || status=1
fi
if [ "$ENGINES" = postgres ] || [ "$ENGINES" = both ]; then
  echo "== crash test, PostgreSQL, $KILLS kills"
  if psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $PGDB"; then
    "target/$PROFILE/hearth-load" crash --bin "target/$PROFILE/hearth" --kills "$KILLS" \
      --port 18182 --database-url "postgres://postgres@127.0.0.1:5432/$PGDB" || status=1
  else
    echo "PostgreSQL at 127.0.0.1:5432 is unreachable" >&2
    status=1
  fi
fi
exit $status
