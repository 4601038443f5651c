#!/usr/bin/env bash
# Installs what the end-to-end tests (scripts/e2e.sh) need:
#   - Debian's Chromium at /usr/bin/chromium (Playwright never downloads a browser here);
#   - e2e/node_modules from e2e/package-lock.json (npm ci), when missing or older than the lock.
# Idempotent, and silent when everything is already installed. Needs Node 20+ and npm.
#
apt_install() {
  # apt_install PACKAGE...: Debian's packages, quietly, as root or through sudo.
  echo "install-test-deps: installing Debian's $* (apt-get)" >&2
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    sudo=(sudo)
  fi
  run_quietly "${sudo[@]}" apt-get update -q
  run_quietly "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "$@"
}

# With --pdf it installs only pdftotext (poppler-utils), which the subject access tests use.
# With --clamav it installs only Debian's clamav-daemon (clamd), which the document tests start
# with a signature database they make (EICAR only; freshclam is never run).
# With --oidc it installs only oidc-provider (npm), the OpenID Connect provider of the
# single sign-on tests.
# With --s3 it installs only moto's S3 server (PyPI), the object store the document tests start.
# With --sms it installs only Debian's kannel and kannel-extras (bearerbox, smsbox, fakesmsc),
# the SMS gateway the text message tests start.
# With --supply-chain it installs only cargo-deny and cargo-audit (scripts/supply-chain.sh):
# `cargo install --locked` at pinned versions into ~/.cache/hearth-tools (HEARTH_TOOLS_DIR), outside the clone so CI keeps them; built once
# and kept; a version change in this file builds the new one.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/e2e"

CARGO_DENY_VERSION=0.20.2
CARGO_AUDIT_VERSION=0.22.2

install_crate() {
  # install_crate CRATE VERSION BINARY
  local tools="${HEARTH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-tools}"
  if "$tools/bin/$3" --version 2>/dev/null | grep -qF "$2"; then
    return 0
  fi
  echo "install-test-deps: building $1 $2 (cargo install --locked; once)" >&2
  cargo install --quiet --locked --root "$tools" "$1" --version "$2" >&2
}

# With --smtp it installs only aiosmtpd (a real SMTP server the message tests start, ADR 0036)
# into a Python venv at ~/.cache/hearth-tools/smtp-venv (HEARTH_TOOLS_DIR), pinned.
AIOSMTPD_VERSION=1.4.6

if [[ "${1:-}" == "--smtp" ]]; then
  tools="${HEARTH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-tools}"
  venv="$tools/smtp-venv"
  if "$venv/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    exit 0
  fi
  echo "install-test-deps: installing aiosmtpd $AIOSMTPD_VERSION into $venv (once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION" >&2
  exit 0
fi

# With --s3 it installs only moto's S3 server (`moto[server]`, a real S3-compatible server the
# document store tests start on a free port, ADR 0052) into a Python venv at
# ~/.cache/hearth-tools/s3-venv (HEARTH_TOOLS_DIR), pinned.
MOTO_VERSION=5.2.6

if [[ "${1:-}" == "--s3" ]]; then
  tools="${HEARTH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-tools}"
  venv="$tools/s3-venv"
  if "$venv/bin/pip" show moto 2>/dev/null | grep -qx "Version: $MOTO_VERSION" && [[ -x "$venv/bin/moto_server" ]]; then
    exit 0
  fi
  echo "install-test-deps: installing moto[server] $MOTO_VERSION into $venv (once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
  exit 0
fi

# With --ssda903 it installs only data-to-insight's SSDA903 validator (csc-validator-be-903, the
# DfE's children looked after validation rules; ADR 0053) into a Python venv at
# ~/.cache/hearth-tools/ssda903-venv (HEARTH_TOOLS_DIR), pinned. The tests run it through
# scripts/ssda903-validate.py on the 903 files Hearth generates.
SSDA903_VALIDATOR_VERSION=0.1.17

if [[ "${1:-}" == "--ssda903" ]]; then
  tools="${HEARTH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-tools}"
  venv="$tools/ssda903-venv"
  if "$venv/bin/pip" show csc-validator-be-903 2>/dev/null | grep -qx "Version: $SSDA903_VALIDATOR_VERSION"; then
    exit 0
  fi
  echo "install-test-deps: installing csc-validator-be-903 $SSDA903_VALIDATOR_VERSION into $venv (once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "csc-validator-be-903==$SSDA903_VALIDATOR_VERSION" >&2
  exit 0
fi

# With --oidc it installs only panva's oidc-provider (a certified OpenID Connect provider the
# single sign-on tests start, ADR 0041) with npm ci from crates/testkit/oidc/package-lock.json
# into ~/.cache/hearth-tools/oidc-provider (HEARTH_TOOLS_DIR), pinned. The tests run it with
# our configuration, crates/testkit/oidc/provider.mjs. Needs Node 20+ and npm.
if [[ "${1:-}" == "--oidc" ]]; then
  tools="${HEARTH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-tools}"
  dir="$tools/oidc-provider"
  lock="$ROOT/crates/testkit/oidc/package-lock.json"
  if [[ -f "$dir/node_modules/oidc-provider/package.json" ]] && cmp -s "$lock" "$dir/package-lock.json"; then
    exit 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-test-deps: Node.js 20 or newer, with npm, is needed for --oidc" >&2
    exit 1
  fi
  echo "install-test-deps: installing oidc-provider into $dir (npm ci; once)" >&2
  mkdir -p "$dir"
  cp "$ROOT/crates/testkit/oidc/package.json" "$lock" "$dir/"
  # --ignore-scripts: the provider needs no install script.
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  exit 0
fi

if [[ "${1:-}" == "--supply-chain" ]]; then
  install_crate cargo-deny "$CARGO_DENY_VERSION" cargo-deny
  install_crate cargo-audit "$CARGO_AUDIT_VERSION" cargo-audit
  exit 0
fi

run_quietly() {
  # Runs a command, showing its output only if it fails.
  local log
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "install-test-deps: failed: $*" >&2
    return 1
  fi
  rm -f "$log"
}

# With --pdf it installs only Debian's poppler-utils: the subject access tests read the PDF
# back with pdftotext, as a reader's viewer would, so a text that only looks right fails.
if [[ "${1:-}" == "--pdf" ]]; then
  if ! command -v pdftotext >/dev/null 2>&1; then
    echo "install-test-deps: installing Debian's poppler-utils (apt-get)" >&2
    SUDO=()
    if [[ "$(id -u)" -ne 0 ]]; then
      SUDO=(sudo)
    fi
    run_quietly "${SUDO[@]}" apt-get update -q
    run_quietly "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends poppler-utils
  fi
  exit 0
fi

# With --clamav it installs only Debian's clamav-daemon: the document tests (and the browser
# journey) start their own clamd on a free port with the EICAR signature (ADR 0043). The
# package's own service and freshclam are not needed and are not started here.
if [[ "${1:-}" == "--clamav" ]]; then
  if [[ ! -x /usr/sbin/clamd ]]; then
    echo "install-test-deps: installing Debian's clamav-daemon (apt-get)" >&2
    SUDO=()
    if [[ "$(id -u)" -ne 0 ]]; then
      SUDO=(sudo)
    fi
    run_quietly "${SUDO[@]}" apt-get update -q
    run_quietly "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends clamav-daemon
  fi
  exit 0
fi

# With --sms it installs only Debian's kannel and kannel-extras: the text message tests (and the
# browser journey) start their own bearerbox, smsbox and fakesmsc (a test SMS centre) on free
# ports with a configuration they write (ADR 0049). The package's own service is not started.
if [[ "${1:-}" == "--sms" ]]; then
  if [[ ! -x /usr/sbin/bearerbox || ! -x /usr/sbin/smsbox || ! -x /usr/lib/kannel/test/fakesmsc ]]; then
    apt_install kannel kannel-extras
  fi
  exit 0
fi

if [[ ! -x /usr/bin/chromium ]]; then
  echo "install-test-deps: installing Debian's chromium (apt-get)" >&2
  SUDO=()
  if [[ "$(id -u)" -ne 0 ]]; then
    SUDO=(sudo)
  fi
  run_quietly "${SUDO[@]}" apt-get update -q
  run_quietly "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends chromium fonts-liberation
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-test-deps: Node.js 20 or newer, with npm, is needed for the e2e tests" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
  echo "install-test-deps: Node.js 20 or newer is needed for the e2e tests (found $(node --version))" >&2
  exit 1
fi

# npm ci rewrites node_modules/.package-lock.json, so it marks when node_modules was installed.
stamp="$E2E/node_modules/.package-lock.json"
if [[ ! -f "$stamp" || "$E2E/package-lock.json" -nt "$stamp" || "$E2E/package.json" -nt "$stamp" ]]; then
  echo "install-test-deps: npm ci in e2e/" >&2
  # --ignore-scripts: nothing here needs an install script, and none may fetch a browser.
  (cd "$E2E" && run_quietly npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi
