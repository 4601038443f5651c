#!/usr/bin/env bash
# The test command: everything CI checks, in order from fastest to most real.
# Under CI=true the PostgreSQL tests must run (and fail loudly if 127.0.0.1:5432 is unreachable).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# The container test's slow part — installing Docker and making its base image from Debian's
# packages, about two minutes on a new machine, mostly waiting on the network — runs beside the
# Rust steps; the image is built and tested after them (scripts/container-test.sh).
CONTAINER_PREP_LOG=$(mktemp)
scripts/container-test.sh --prepare >"$CONTAINER_PREP_LOG" 2>&1 &
CONTAINER_PREP=$!

step "Formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "Lints (cargo clippy, warnings denied)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Built front-end assets match their sources"
if command -v npm >/dev/null 2>&1; then
  scripts/check-assets.sh
elif [ "${CI:-}" = "true" ]; then
  echo "npm is needed to check the built assets under CI" >&2
  exit 1
else
  echo "SKIPPED: npm is not installed, so the built assets were not rebuilt and compared."
fi

step "Supply chain (cargo deny, cargo audit)"
scripts/supply-chain.sh

step "Unit, storage (SQLite and PostgreSQL) and web tests"
# The message tests start a real SMTP server (aiosmtpd, ADR 0036).
scripts/install-test-deps.sh --smtp
# The DfE's SSDA903 validation rules, which the 903 return's tests run on Hearth's files.
scripts/install-test-deps.sh --ssda903
# The subject access PDF is read back with poppler's pdftotext.
scripts/install-test-deps.sh --pdf
# The document tests start a real ClamAV daemon (clamd) with the EICAR signature (ADR 0043).
scripts/install-test-deps.sh --clamav
# The document store tests start a real S3-compatible server (moto's, ADR 0052).
scripts/install-test-deps.sh --s3
# The text message tests start a real SMS gateway (Kannel with its fakesmsc, ADR 0049).
scripts/install-test-deps.sh --sms
# The single sign-on tests start a real OpenID Connect provider (oidc-provider, ADR 0041).
scripts/install-test-deps.sh --oidc
cargo test --workspace --locked

step "The API against its own description (scripts/api-fuzz.sh, schemathesis)"
scripts/api-fuzz.sh

step "The analytics extract read by DuckDB (scripts/extract-check.sh)"
scripts/extract-check.sh

step "The container image: SQLite and the demo, /readyz, sign-in, unprivileged, SIGTERM (scripts/container-test.sh)"
if wait "$CONTAINER_PREP"; then
  rm -f "$CONTAINER_PREP_LOG"
  scripts/container-test.sh
elif [ "${CI:-}" = "true" ]; then
  cat "$CONTAINER_PREP_LOG" >&2
  echo "the container test could not prepare Docker and its base image under CI (above)" >&2
  exit 1
else
  cat "$CONTAINER_PREP_LOG"
  echo "SKIPPED: the container image was not tested: Docker could not be prepared (above; it needs root, or a Docker engine)."
fi

step "City-scale load and crash tests, small versions (scripts/load-smoke.sh)"
scripts/load-smoke.sh

step "Browser journeys (headless Chromium, axe-core)"
scripts/install-test-deps.sh
scripts/e2e.sh

printf '\nAll checks passed.\n'
