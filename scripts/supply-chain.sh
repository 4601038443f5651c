#!/usr/bin/env bash
# Supply-chain checks, run by scripts/test.sh:
#   - cargo deny: licences, banned and duplicated crates, where crates come from (deny.toml);
#   - cargo audit: RustSec advisories against Cargo.lock (deny.toml's [advisories] applies
#     when cargo deny is run by hand with the database at hand).
# Both tools are installed by scripts/install-test-deps.sh --supply-chain (cargo install
# --locked, cached in ~/.cache/hearth-tools). The advisories come from the RustSec database, a git
# repository: it is fetched when it can be (and cached there), or read from HEARTH_ADVISORY_DB
# or a copy put in the cache by other means (its date is printed, and its age if over 30 days).
# No package registry carries it (ADR 0016). Under CI=true the tools must run; the advisory part
# is reported as not run, loudly, when no copy of the database can be had.
set -euo pipefail
cd "$(dirname "$0")/.."

"$(dirname "$0")/install-test-deps.sh" --supply-chain
TOOLS="${HEARTH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-tools}"
export PATH="$TOOLS/bin:$PATH"

echo "cargo deny: licences, bans, sources"
cargo deny --locked check --hide-inclusion-graph licenses bans sources

# Advisories that do not reach what Hearth builds or ships, each with the fact that makes it so,
# and that fact checked here: if it stops being true, the advisory counts again.
#   RUSTSEC-2023-0071 (rsa, the Marvin timing attack; no fixed version): the attack recovers a
#     private key from the timing of decryption or signing with it. openidconnect brings rsa to
#     verify identity providers' RS256 ID tokens with their public keys (ADR 0041), webauthn-rs
#     brings rsa 0.10 to verify RS256 passkeys' signatures (ADR 0051); the one RSA private key
#     Hearth holds, One Login's client key (ADR 0056), signs with ring, not rsa, so rsa makes no
#     private operation to time. Checked below: no rsa private key type in Hearth's code.
#   RUSTSEC-2026-0214 (gumdrop unmaintained; not a vulnerability): goose 0.18, the load
#     generator (crates/load), parses its command line with it. It is not in the `hearth`
#     binary; goose 0.19 drops it and moves with the load test's re-baseline (ADR 0016).
#   RUSTSEC-2026-0194 and -0195 (quick-xml 0.38: quadratic time on duplicate attributes,
#     unbounded namespace declarations; denial of service): object_store 0.12, the S3 client
#     (ADR 0052), parses with it only the answers of the object store the partnership itself
#     configures (off by default; its own bucket, over TLS), never anything a user or a partner
#     sends. The fixed quick-xml comes with object_store 0.13+, which brings a second HTTP stack
#     and aws-lc's C build; the move is the next step in ADR 0052. Checked below: quick-xml 0.38
#     is reached only through object_store.
IGNORED=(--ignore RUSTSEC-2023-0071 --ignore RUSTSEC-2026-0214 --ignore RUSTSEC-2026-0194 --ignore RUSTSEC-2026-0195)
not_built() {
  # not_built CRATE [cargo tree selection…]: CRATE is in no dependency graph of the selection
  # (cargo tree prints nothing, or says no package matches).
  local crate=$1 graph; shift
  graph=$(cargo tree --locked --target all -e normal,build,dev "$@" -i "$crate" 2>/dev/null || true)
  if [ -n "$graph" ]; then
    echo "supply-chain: $crate is now built ($*), so the advisory ignored for it applies again:" >&2
    echo "$graph" >&2
    exit 1
  fi
}
if grep -rnE 'RsaPrivate|PrivateSigningKey|rsa::' crates --include='*.rs' >&2; then
  echo "supply-chain: Hearth now signs or decrypts with the rsa crate (above), so RUSTSEC-2023-0071 (rsa, Marvin) applies again" >&2
  exit 1
fi
not_built gumdrop -p hearth
old_xml_users=$(cargo tree --locked --target all -e normal,build,dev -i quick-xml@0.38.4 --depth 1 --prefix none 2>/dev/null | tail -n +2 | sort -u || true)
if [ -n "$old_xml_users" ] && [ "$(echo "$old_xml_users" | cut -d' ' -f1)" != "object_store" ]; then
  echo "supply-chain: quick-xml 0.38 is now reached by more than object_store, so RUSTSEC-2026-0194/0195 apply again:" >&2
  echo "$old_xml_users" >&2
  exit 1
fi

# The advisories come from the RustSec database, a git repository: HEARTH_ADVISORY_DB, or the
# copy in the tools folder, updated when the network allows and used as it is when not.
DB="${HEARTH_ADVISORY_DB:-$TOOLS/advisory-db}"
if [[ -z "${HEARTH_ADVISORY_DB:-}" ]]; then
  if [[ -d "$DB/.git" ]]; then
    timeout 120 git -C "$DB" pull --quiet --ff-only 2>/dev/null || echo "supply-chain: could not update the advisory database"
  else
    timeout 120 git clone --quiet --depth 1 https://github.com/rustsec/advisory-db "$DB" 2>/dev/null || rm -rf "$DB"
  fi
fi
if [[ -d "$DB" ]]; then
  if AS_OF=$(git -C "$DB" log -1 --format=%cs 2>/dev/null); then
    AGE=$(( ($(date +%s) - $(date -d "$AS_OF" +%s)) / 86400 ))
    echo "cargo audit: RustSec advisories as of $AS_OF ($AGE days old) from $DB"
    if (( AGE > 30 )); then
      echo "ADVISORIES CHECKED AGAINST A COPY $AGE DAYS OLD: advisories published since $AS_OF are not checked."
    fi
  else
    echo "cargo audit: RustSec advisories from $DB (its date is not known)"
  fi
  cargo audit --no-fetch --db "$DB" --deny warnings "${IGNORED[@]}"
else
  echo "ADVISORIES NOT CHECKED: the RustSec advisory database cannot be fetched on this network" \
       "(set HEARTH_ADVISORY_DB to a copy of github.com/rustsec/advisory-db, or put one at $TOOLS/advisory-db)."
fi
