#!/usr/bin/env bash
# Supply-chain checks, run by scripts/test.sh:
#   - cargo deny: licences, banned and duplicated crates, where crates come from (deny.toml);
#   - cargo audit: RustSec advisories against Cargo.lock (deny.toml's [advisories] applies
#     when cargo deny is run by hand with the database at hand).
# Both tools are installed by scripts/install-test-deps.sh --supply-chain (cargo install
# --locked, cached in ~/.cache/hearth-tools). The advisories come from the RustSec database, a git
# repository: it is fetched when it can be (and cached there), or read
# from HEARTH_ADVISORY_DB. Under CI=true the tools must run; the advisory part is reported as
# not run, loudly, when the database cannot be had on this network.
set -euo pipefail
cd "$(dirname "$0")/.."

"$(dirname "$0")/install-test-deps.sh" --supply-chain
TOOLS="${HEARTH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-tools}"
export PATH="$TOOLS/bin:$PATH"

echo "cargo deny: licences, bans, sources"
cargo deny --locked check --hide-inclusion-graph licenses bans sources

DB="${HEARTH_ADVISORY_DB:-$TOOLS/advisory-db}"
if [[ -z "${HEARTH_ADVISORY_DB:-}" ]]; then
  if [[ -d "$DB/.git" ]]; then
    timeout 120 git -C "$DB" pull --quiet --ff-only 2>/dev/null || echo "supply-chain: could not update the advisory database; using the copy from $(git -C "$DB" log -1 --format=%cs)"
  else
    timeout 120 git clone --quiet --depth 1 https://github.com/rustsec/advisory-db "$DB" 2>/dev/null || rm -rf "$DB"
  fi
fi
if [[ -d "$DB" ]]; then
  echo "cargo audit: RustSec advisories"
  cargo audit --no-fetch --db "$DB" --deny warnings
else
  echo "ADVISORIES NOT CHECKED: the RustSec advisory database cannot be fetched on this network" \
       "(set HEARTH_ADVISORY_DB to a copy of github.com/rustsec/advisory-db to check them)."
fi
