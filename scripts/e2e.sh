#!/usr/bin/env bash
# End-to-end journeys (e2e/tests/*.test.js) in headless Chromium, with axe-core checks on
# every page, against a fresh `hearth serve --demo` on a free local port and a new SQLite
# database. Exits non-zero if any journey fails; prints the server's log when one does.
#
# Usage: scripts/e2e.sh [extra node --test options]
#   e.g. scripts/e2e.sh --test-name-pattern='keyboard|sign-out'
# Environment:
#   HEARTH_BIN=path        use this binary instead of building target/debug/hearth
#   E2E_A11Y_FAIL_FAST=1   stop a journey at the first page axe finds a problem on
#   E2E_READY_TIMEOUT=60   seconds to wait for the server's /readyz
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
started_at=$SECONDS

"$ROOT/scripts/install-test-deps.sh"
# The subject access journey reads the PDF back with pdftotext.
"$ROOT/scripts/install-test-deps.sh" --pdf
# Uploads are scanned by a real clamd, started below with the EICAR signature (ADR 0043).
"$ROOT/scripts/install-test-deps.sh" --clamav
# Texts go through a real SMS gateway (Kannel, ADR 0049) in the text message tests.
"$ROOT/scripts/install-test-deps.sh" --sms
# The single sign-on journey signs in through a real OpenID Connect provider (ADR 0041).
"$ROOT/scripts/install-test-deps.sh" --oidc
# The family's own page journey reads its links from a real SMTP server's mailbox (ADR 0045).
"$ROOT/scripts/install-test-deps.sh" --smtp
"$ROOT/scripts/install-test-deps.sh" --ssda903

if [[ -n "${HEARTH_BIN:-}" ]]; then
  BIN="$(cd "$(dirname "$HEARTH_BIN")" && pwd)/$(basename "$HEARTH_BIN")"
else
  echo "e2e: cargo build -p hearth" >&2
  if ! (cd "$ROOT" && cargo build -p hearth --quiet); then
    echo "e2e: cargo build -p hearth failed" >&2
    exit 1
  fi
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/hearth"
  [[ "$BIN" = /* ]] || BIN="$ROOT/$BIN"
fi
if [[ ! -x "$BIN" ]]; then
  echo "e2e: no hearth binary at $BIN" >&2
  exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hearth-e2e.XXXXXX")"
LOG="$WORK/server.log"
SERVER_PID=""
CLAMD_PID=""
TEST_STATUS=1

port="$(node -e '
  const s = require("net").createServer();
  s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
')"
BASE_URL="http://127.0.0.1:$port"
PASSWORD="e2e-$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')"

cleanup() {
  local status=$?
  if [[ -n "$CLAMD_PID" ]]; then
    kill -TERM "$CLAMD_PID" 2>/dev/null || true
    wait "$CLAMD_PID" 2>/dev/null || true
  fi
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ $status -ne 0 || $TEST_STATUS -ne 0 ]] && [[ -f "$LOG" ]]; then
    echo >&2
    echo "----- server log ($BIN, last 200 lines) -----" >&2
    tail -n 200 "$LOG" >&2
    echo "----- end of server log -----" >&2
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# clamd on a free port with one signature, EICAR's MD5 (freshclam cannot fetch databases here).
clamd_port="$(node -e '
  const s = require("net").createServer();
  s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
')"
mkdir -p "$WORK/clamav"
eicar='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
printf '%s:%s:Hearth.Test.EICAR\n' "$(printf '%s' "$eicar" | md5sum | cut -d' ' -f1)" "${#eicar}" \
  >"$WORK/clamav/hearth.hdb"
printf 'Foreground yes\nDatabaseDirectory %s\nTCPSocket %s\nTCPAddr 127.0.0.1\nLogFile %s\n' \
  "$WORK/clamav" "$clamd_port" "$WORK/clamd.log" >"$WORK/clamd.conf"
/usr/sbin/clamd -c "$WORK/clamd.conf" >/dev/null 2>&1 &
CLAMD_PID=$!
clamd_deadline=$((SECONDS + 60))
until (echo >"/dev/tcp/127.0.0.1/$clamd_port") 2>/dev/null; do
  if ! kill -0 "$CLAMD_PID" 2>/dev/null || (( SECONDS >= clamd_deadline )); then
    echo "e2e: clamd did not start on port $clamd_port" >&2
    cat "$WORK/clamd.log" >&2 || true
    exit 1
  fi
  sleep 0.2
done

# The server gets only the settings chosen here: none of the caller's HEARTH_* variables
# (a public_url of https:// would make its cookies Secure, unusable over http), and it runs
# in the temporary directory so no ./hearth.toml is read.
(
  cd "$WORK"
  for var in $(compgen -e | grep '^HEARTH_' || true); do unset "$var"; done
  export DATABASE_URL="sqlite://$WORK/hearth.db"
  export HEARTH_DEMO_PASSWORD="$PASSWORD"
  # As behind one reverse proxy: a request without X-Forwarded-For is its peer's; the attack
  # replay (tests/attacks.test.js) writes made-up first hops in front of a client address.
  export HEARTH_TRUST_PROXY=true
  # The unusual-volume alert within reach of one minute's searches (the attack replay's
  # finding 10; the default, 300 an hour, takes ten minutes at the per-user limit).
  export HEARTH_SEARCH_ALERT_PER_HOUR=20
  export HEARTH_CLAMD_ADDRESS="127.0.0.1:$clamd_port"
  export NO_COLOR=1
  exec "$BIN" serve --demo --listen "127.0.0.1:$port"
) >"$LOG" 2>&1 &
SERVER_PID=$!

timeout="${E2E_READY_TIMEOUT:-60}"
deadline=$((SECONDS + timeout))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE_URL/readyz" || true)" == 200 ]]; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "e2e: the server exited before it was ready" >&2
    exit 1
  fi
  if (( SECONDS >= deadline )); then
    echo "e2e: the server at $BASE_URL did not answer GET /readyz with 200 within ${timeout}s" >&2
    exit 1
  fi
  sleep 0.2
done
echo "e2e: server ready at $BASE_URL; running the journeys" >&2

rm -rf "$ROOT/e2e/test-results"
set +e
(
  cd "$ROOT/e2e"
  E2E_BASE_URL="$BASE_URL" E2E_PASSWORD="$PASSWORD" \
    E2E_HEARTH_BIN="$BIN" E2E_DATABASE_URL="sqlite://$WORK/hearth.db" E2E_SERVER_DIR="$WORK" \
    node --test --test-reporter=spec --test-concurrency=1 "$@" tests/*.test.js
)
TEST_STATUS=$?
set -e

echo "e2e: finished in $((SECONDS - started_at))s" >&2
if [[ $TEST_STATUS -ne 0 ]]; then
  if [[ -d "$ROOT/e2e/test-results" ]]; then
    echo "e2e: screenshots and HTML of the failing pages are in e2e/test-results/" >&2
  fi
  exit "$TEST_STATUS"
fi
