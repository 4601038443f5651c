#!/usr/bin/env bash
# The attack replay (issue 15): runs today's e2e/tests/attacks.test.js — a test per finding
# of the attack on Hearth (or per half of one), each failing if its attack works — against the
# `hearth` binary of any commit, on SQLite and on PostgreSQL, and prints finding → red/green
# (red when any of the finding's tests is), then the red tests by name.
#
#   red    the attack worked against that build (or the build could not be attacked this way:
#          docs/security.md, "The attacks, replayed", says which and why)
#   green  the attack failed: the safe behaviour
#
# Usage: scripts/replay-attacks.sh <commit> [sqlite|postgres|both]    (default: both)
# Environment:
#   HEARTH_BIN=path          attack this binary instead of building <commit> (the commit is
#                            then only the table's label)
#   REPLAY_TARGET_DIR=dir    where <commit> is built (default: target/replay), apart from
#                            target/ so that building an old commit disturbs nothing
#   REPLAY_POSTGRES=url      the PostgreSQL server (default postgres://postgres@127.0.0.1:5432);
#                            a fresh database is made there for the run and dropped after
#   REPLAY_LOG=file          keep the test runner's whole output here (default: a temporary file,
#                            printed path)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMIT="${1:?usage: scripts/replay-attacks.sh <commit> [sqlite|postgres|both]}"
ENGINES="${2:-both}"
case "$ENGINES" in
  sqlite) ENGINES=(sqlite) ;;
  postgres) ENGINES=(postgres) ;;
  both) ENGINES=(sqlite postgres) ;;
  *) echo "replay: engine must be sqlite, postgres or both" >&2; exit 2 ;;
esac
POSTGRES="${REPLAY_POSTGRES:-postgres://postgres@127.0.0.1:5432}"

"$ROOT/scripts/install-test-deps.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hearth-replay.XXXXXX")"
LOG="${REPLAY_LOG:-$WORK/attacks.log}"
SERVER_PID=""
DATABASE=""
SOURCE=""

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
  if [[ -n "$DATABASE" ]]; then
    psql "$POSTGRES/postgres" -qAtc "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null || true
    DATABASE=""
  fi
}
cleanup() {
  stop_server
  if [[ -n "$SOURCE" ]]; then
    git -C "$ROOT" worktree remove --force "$SOURCE" 2>/dev/null || true
  fi
  [[ -n "${REPLAY_LOG:-}" ]] || echo "replay: the test runner's output is in $LOG" >&2
  find "$WORK" -mindepth 1 -maxdepth 1 ! -name attacks.log -exec rm -rf {} +
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LABEL="$(git -C "$ROOT" rev-parse --short "$COMMIT^{commit}")"
if [[ -n "${HEARTH_BIN:-}" ]]; then
  BIN="$(cd "$(dirname "$HEARTH_BIN")" && pwd)/$(basename "$HEARTH_BIN")"
else
  SOURCE="$WORK/source"
  git -C "$ROOT" worktree add --quiet --detach "$SOURCE" "$LABEL"
  TARGET="${REPLAY_TARGET_DIR:-$ROOT/target/replay}"
  echo "replay: building $LABEL in $SOURCE (CARGO_TARGET_DIR=$TARGET)" >&2
  (cd "$SOURCE" && CARGO_TARGET_DIR="$TARGET" nice -n 10 cargo build -p hearth --quiet)
  BIN="$TARGET/debug/hearth"
fi
[[ -x "$BIN" ]] || { echo "replay: no hearth binary at $BIN" >&2; exit 1; }

PASSWORD="replay-$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')"
declare -A RESULT
REDS=()
: >"$LOG"

for engine in "${ENGINES[@]}"; do
  DIR="$WORK/$engine"
  mkdir -p "$DIR"
  if [[ $engine == sqlite ]]; then
    URL="sqlite://$DIR/hearth.db"
  else
    DATABASE="hearth_replay_$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')"
    psql "$POSTGRES/postgres" -qAtc "CREATE DATABASE $DATABASE" >/dev/null
    URL="$POSTGRES/$DATABASE"
  fi
  port="$(node -e '
    const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
  ')"
  BASE_URL="http://127.0.0.1:$port"
  # Only the settings chosen here, as scripts/e2e.sh does; behind one trusted proxy.
  (
    cd "$DIR"
    for var in $(compgen -e | grep '^HEARTH_' || true); do unset "$var"; done
    export DATABASE_URL="$URL" HEARTH_DEMO_PASSWORD="$PASSWORD" HEARTH_TRUST_PROXY=true NO_COLOR=1
    # The unusual-volume alert within reach of one minute's searches (finding 10); a build
    # without the setting ignores it.
    export HEARTH_SEARCH_ALERT_PER_HOUR=20
    exec "$BIN" serve --demo --listen "127.0.0.1:$port"
  ) >"$DIR/server.log" 2>&1 &
  SERVER_PID=$!
  deadline=$((SECONDS + ${E2E_READY_TIMEOUT:-120}))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE_URL/readyz" || true)" == 200 ]]; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null || (( SECONDS >= deadline )); then
      echo "replay: the $engine server did not start; its log:" >&2
      tail -n 50 "$DIR/server.log" >&2
      exit 1
    fi
    sleep 0.3
  done
  echo "replay: $LABEL on $engine at $BASE_URL" >&2
  {
    echo "===== $LABEL on $engine ====="
    (
      cd "$ROOT/e2e"
      E2E_BASE_URL="$BASE_URL" E2E_PASSWORD="$PASSWORD" E2E_HEARTH_BIN="$BIN" \
        E2E_DATABASE_URL="$URL" E2E_SERVER_DIR="$DIR" \
        node --test --test-reporter=tap --test-concurrency=1 tests/attacks.test.js || true
    )
  } >>"$LOG" 2>&1
  # The top-level results: "ok 3 - finding 3: ..." or "not ok 3 - finding 3: ...". A finding
  # attacked by several tests (its halves) is red when any of them is.
  while IFS= read -r line; do
    n="$(sed -E 's/^(not )?ok [0-9]+ - finding ([0-9]+):.*/\2/' <<<"$line")"
    if [[ $line == not* ]]; then
      RESULT[$engine.$n]=red
      REDS+=("$engine: ${line#not ok }")
    elif [[ ${RESULT[$engine.$n]:-} != red ]]; then
      RESULT[$engine.$n]=green
    fi
  done < <(sed -n "/^===== $LABEL on $engine =====/,\$p" "$LOG" | grep -E '^(not )?ok [0-9]+ - finding [0-9]+:')
  stop_server
done

printf '\nAttacks replayed against %s (%s)\n\n' "$LABEL" "$("$BIN" --version 2>/dev/null || echo hearth)"
printf '| finding |'; for e in "${ENGINES[@]}"; do printf ' %s |' "$e"; done; printf '\n'
printf '|---|'; for _ in "${ENGINES[@]}"; do printf -- '---|'; done; printf '\n'
for n in $(seq 1 18); do
  printf '| %s |' "$n"
  for e in "${ENGINES[@]}"; do printf ' %s |' "${RESULT[$e.$n]:-not run}"; done
  printf '\n'
done
if (( ${#REDS[@]} )); then
  printf '\nRed tests (the attack worked):\n'
  printf '  %s\n' "${REDS[@]}"
fi
