#!/usr/bin/env bash
# The API tried against its own description: schemathesis (pinned, installed into a cached
# venv in ~/.cache/hearth-tools) generates calls from /api/v1/openapi.json, positive and
# negative, and checks every answer: no server error, a documented status, the documented
# content type and a body that fits the documented schema. Hearth runs on SQLite with the
# demo data; the calls are made with a read-write token of the Family Help lead's, made the
# way its owner makes one (signed in, on /account/tokens). Bounded: few examples per
# operation and a time budget, about a minute. Run by scripts/test.sh; any failure fails it.
#   scripts/api-fuzz.sh [max examples per operation, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
EXAMPLES=${1:-25}
TOOLS="${HEARTH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-tools}"
VENV="$TOOLS/schemathesis-venv"
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  echo "api-fuzz: installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --quiet --locked -p hearth
BIN=target/debug/hearth
PORT=${API_FUZZ_PORT:-$((20000 + RANDOM % 20000))}
BASE="http://127.0.0.1:$PORT"
DATA=$(mktemp -d)
WORK=$(mktemp -d)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$DATA" "$WORK"
}
trap cleanup EXIT

# The rate limits stay on, raised to what one fuzzing client needs in a minute (a 429 is
# documented, so one would not fail the run, but it would test nothing).
export HEARTH_DATA_DIR="$DATA" HEARTH_DEMO_PASSWORD=family-help-demo \
  HEARTH_RATE_LIMIT_SEARCH_PER_USER=100000 HEARTH_RATE_LIMIT_SEARCH_PER_ADDRESS=100000 \
  HEARTH_RATE_LIMIT_API_PER_USER=100000 HEARTH_RATE_LIMIT_API_PER_ADDRESS=100000 \
  HEARTH_SEARCH_ALERT_PER_HOUR=100000
RUST_LOG=warn "$BIN" serve --demo --listen "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 & PID=$!
until curl -fs "$BASE/readyz" >/dev/null; do
  kill -0 "$PID" 2>/dev/null || { echo "api-fuzz: the server exited:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.2
done

# The lead signs in and makes a token for everything the API offers.
JAR="$WORK/cookies"
csrf() { grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
CSRF=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/sign-in" | csrf)
curl -fs -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "csrf_token=$CSRF" \
  --data-urlencode "email=lead@demo.hearth.test" --data-urlencode "password=$HEARTH_DEMO_PASSWORD" "$BASE/sign-in"
CSRF=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/account/tokens" | csrf)
TOKEN=$(curl -fs -c "$JAR" -b "$JAR" -L --data-urlencode "csrf_token=$CSRF" \
  --data-urlencode "token_name=API fuzzing" --data-urlencode "access=read_write" \
  --data-urlencode "resources=people" --data-urlencode "resources=requests" \
  --data-urlencode "resources=episodes" --data-urlencode "lifetime_days=30" \
  "$BASE/account/tokens" | grep -o 'hearth_[A-Za-z0-9_-]\{16,\}' | head -1)
[ -n "$TOKEN" ] || { echo "api-fuzz: the lead could not make an API token" >&2; exit 1; }

# Ids the lead may read, so calls reach real records as well as unknown ones: the episodes on
# the lead's My work, and the family members in the first few of them.
EPISODES=$(curl -fs -b "$JAR" "$BASE/" | grep -oE '/episodes/[0-9a-f-]{36}' | sort -u | head -10 | cut -d/ -f3)
PEOPLE=$(for e in $(head -3 <<<"$EPISODES"); do curl -fs -b "$JAR" "$BASE/episodes/$e"; done \
  | grep -oE '/people/[0-9a-f-]{36}' | sort -u | head -10 | cut -d/ -f3)
[ -n "$EPISODES" ] && [ -n "$PEOPLE" ] || { echo "api-fuzz: no episodes or people found for the lead" >&2; exit 1; }
quoted() { sed 's/.*/"&"/' | paste -sd, -; }
cat >"$WORK/schemathesis.toml" <<TOML
[dictionaries.episodes]
values = [$(quoted <<<"$EPISODES")]

[dictionaries.people]
values = [$(quoted <<<"$PEOPLE")]

[[operations]]
include-path-regex = "^/api/v1/episodes/"
parameters = { "path.id" = { dictionary = "episodes", probability = 0.7 } }

[[operations]]
include-operation-id = "createRequest"
parameters = { "body.people[*]" = { dictionary = "people", probability = 0.8 } }
TOML

echo "api-fuzz: schemathesis $SCHEMATHESIS_VERSION against $BASE/api/v1/openapi.json, $EXAMPLES examples per operation"
# From the scratch directory, where schemathesis keeps its cache of examples.
cd "$WORK"
"$VENV/bin/schemathesis" --config-file "$WORK/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$EXAMPLES" --max-time 60 --workers 2 --seed 25 \
  --phases examples,coverage,fuzzing,stateful \
  --report junit --report-dir "$WORK/report" --no-color
