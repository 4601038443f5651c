#!/usr/bin/env bash
# Builds Hearth's front-end assets from frontend/ (govuk-frontend + our Sass/JS).
#
# Usage: scripts/build-assets.sh [OUT_ROOT]
#
# Writes into OUT_ROOT (default: the repository root):
#   crates/web/assets/hearth.css              compiled, compressed, no source map
#   crates/web/assets/hearth.js               our ES module entry point
#   crates/web/assets/govuk-frontend.min.js   govuk-frontend's ESM bundle
#   crates/web/tests/fixtures/govuk/<c>.json  govuk-frontend's fixtures for the
#                                             components we implement in Rust
# The output is committed, so a fresh clone can run the server and the tests
# without Node. The output is deterministic: rerunning gives identical bytes.
# scripts/check-assets.sh uses OUT_ROOT to check the committed files are current.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/frontend"
OUT_ROOT="${1:-$ROOT}"
mkdir -p "$OUT_ROOT"
OUT_ROOT="$(cd "$OUT_ROOT" && pwd)"
ASSETS="$OUT_ROOT/crates/web/assets"
FIXTURES="$OUT_ROOT/crates/web/tests/fixtures/govuk"

# Components implemented in crates/web/src/components, tested against these fixtures.
COMPONENTS=(
  back-link button checkboxes date-input error-message error-summary fieldset hint input
  inset-text label notification-banner pagination phase-banner radios select
  service-navigation skip-link summary-list table tag textarea warning-text
)

# Install exactly what package-lock.json says, unless that is already installed.
lock_sum="$(sha256sum "$FRONTEND/package-lock.json" | cut -d' ' -f1)"
stamp="$FRONTEND/node_modules/.hearth-package-lock.sha256"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  echo "build-assets: installing node modules (npm ci)" >&2
  (cd "$FRONTEND" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$lock_sum" >"$stamp"
fi

GOVUK="$FRONTEND/node_modules/govuk-frontend/dist/govuk"
mkdir -p "$ASSETS" "$FIXTURES"

# --quiet-deps / --silence-deprecation=import: hearth.scss loads govuk-frontend with @import
# (its image function must be visible to govuk-frontend, which @use would not allow), and
# dart-sass reports @import as deprecated.
"$FRONTEND/node_modules/.bin/sass" \
  --no-source-map \
  --style=compressed \
  --load-path="$FRONTEND/node_modules" \
  --quiet-deps \
  --silence-deprecation=import \
  --silence-deprecation=global-builtin \
  "$FRONTEND/src/hearth.scss" "$ASSETS/hearth.css"

# The CSS must not reference any file we do not ship (fonts, crown, crest).
if grep -q 'url(' "$ASSETS/hearth.css"; then
  echo "build-assets: hearth.css references a url(); ship the file or remove the reference:" >&2
  grep -o 'url([^)]*)' "$ASSETS/hearth.css" | sort -u >&2
  exit 1
fi

cp "$GOVUK/govuk-frontend.min.js" "$ASSETS/govuk-frontend.min.js"
# The bundle ends with a sourceMappingURL comment; we ship no source map.
sed -i -e 's|//# sourceMappingURL=[^ ]*$||' "$ASSETS/govuk-frontend.min.js"
cp "$FRONTEND/src/hearth.js" "$ASSETS/hearth.js"

for component in "${COMPONENTS[@]}"; do
  cp "$GOVUK/components/$component/fixtures.json" "$FIXTURES/$component.json"
done

echo "build-assets: wrote $ASSETS and $FIXTURES" >&2
