#!/usr/bin/env bash
# Checks that the committed front-end build output is what the sources produce.
# Rebuilds into a temporary directory with scripts/build-assets.sh and compares
# it with crates/web/assets/ and crates/web/tests/fixtures/govuk/.
# Needs Node and npm (it runs `npm ci` in frontend/ when node_modules is stale).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

"$ROOT/scripts/build-assets.sh" "$TMP" 2>"$TMP.log" || {
  cat "$TMP.log" >&2
  rm -f "$TMP.log"
  echo "check-assets: build failed" >&2
  exit 1
}
rm -f "$TMP.log"

status=0
for dir in crates/web/assets crates/web/tests/fixtures/govuk; do
  built="$TMP/$dir"
  committed="$ROOT/$dir"
  if [[ ! -d "$committed" ]]; then
    echo "check-assets: $dir is missing; run scripts/build-assets.sh" >&2
    status=1
    continue
  fi
  # Every file the build produces must be committed, byte for byte...
  while IFS= read -r -d '' file; do
    rel="${file#"$built"/}"
    if [[ ! -f "$committed/$rel" ]]; then
      echo "check-assets: $dir/$rel is missing; run scripts/build-assets.sh" >&2
      status=1
    elif ! cmp -s "$file" "$committed/$rel"; then
      echo "check-assets: $dir/$rel differs from what the sources produce; run scripts/build-assets.sh" >&2
      status=1
    fi
  done < <(find "$built" -type f -print0 | sort -z)
  # ...and nothing else may be there.
  while IFS= read -r -d '' file; do
    rel="${file#"$committed"/}"
    if [[ ! -f "$built/$rel" ]]; then
      echo "check-assets: $dir/$rel is not produced by the build; delete it or add it to scripts/build-assets.sh" >&2
      status=1
    fi
  done < <(find "$committed" -type f -print0 | sort -z)
done

if [[ $status -eq 0 ]]; then
  echo "check-assets: built assets are up to date"
fi
exit $status
