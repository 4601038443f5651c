#!/usr/bin/env bash
# The container image, proven: builds the image from the Dockerfile and runs it as an operator
# would (SQLite, the demo, a volume), then checks that
#   - it becomes ready (/readyz) and live (/healthz), and the image's own health check says healthy;
#   - the sign-in page is served and a demo user can sign in (the demo data is there);
#   - it runs as the unprivileged user (uid 10001) with no capabilities, on a read-only root;
#   - it logs JSON lines with a request id;
#   - SIGTERM (docker stop) stops it cleanly and soon, and it starts again on the same volume.
# Then it removes what it made, except the base image and the build cache (kept for next time).
#
# Where no Docker engine runs (this project's machines and CI), it installs Debian's docker.io
# (apt) and starts dockerd for the run. Where no registry is reachable, the images the Dockerfile
# starts from cannot be pulled, so:
#   - the base is made once from Debian's packages (debootstrap --variant=minbase bookworm,
#     slimmed like debian:bookworm-slim, with the security updates) and imported as
#     hearth-local/debian:bookworm-slim;
#   - the binary is built on this (Debian 12) host and packed by the Dockerfile's `prebuilt`
#     target, on the same runtime stage the normal two-stage build uses.
# Containers use the host's network (dockerd runs with no bridge and no iptables rules), and
# Hearth listens on a free port on 127.0.0.1 only.
#
#   scripts/container-test.sh                 a debug build of hearth (fast; what CI runs)
#   scripts/container-test.sh --release       a release build
#   scripts/container-test.sh --binary PATH   this binary (built on Debian 12 or older glibc)
#   scripts/container-test.sh --from-source   the Dockerfile's own build stage (needs the
#                                             rust:1-bookworm image: a registry, or loaded by hand)
#   scripts/container-test.sh --prepare       only install, start the engine and make the base
# Environment: HEARTH_CONTAINER_BASE (a base image to use instead of the one made here),
# HEARTH_CONTAINER_RUST_IMAGE (for --from-source, instead of rust:1-bookworm),
# HEARTH_CONTAINER_KEEP_ENGINE=1 (leave a dockerd started here running).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MODE=debug
BIN=""
case "${1:-}" in
  "") ;;
  --release) MODE=release ;;
  --binary) MODE=binary; BIN=$(realpath "${2:?--binary needs a path}") ;;
  --from-source) MODE=source ;;
  --prepare) MODE=prepare ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac

TOOLS="${HEARTH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-tools}"
STATE="$TOOLS/container"
mkdir -p "$STATE"
BASE="${HEARTH_CONTAINER_BASE:-hearth-local/debian:bookworm-slim}"
MIRROR="${HEARTH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
NAME="hearth-container-test-$$"
IMAGE="hearth:container-test-$$"
STARTED=$(date +%s)
ENGINE_PID=""
CONTEXT=""
WORK=$(mktemp -d)

say() { printf 'container-test: %s\n' "$*"; }
fail() { printf 'container-test: FAILED: %s\n' "$*" >&2; exit 1; }
elapsed() { echo $(($(date +%s) - STARTED)); }
TIMES=()
mark() { TIMES+=("$1 $(elapsed)s"); say "$1 (at $(elapsed) s)"; }

cleanup() {
  local rc=$?
  if [ -n "${DOCKER:-}" ] && $DOCKER info >/dev/null 2>&1; then
    if [ "$rc" -ne 0 ] && $DOCKER inspect "$NAME" >/dev/null 2>&1; then
      echo "---- the container's log (last 40 lines) ----" >&2
      $DOCKER logs --tail 40 "$NAME" >&2 2>&1 || true
    fi
    $DOCKER rm -f "$NAME" >/dev/null 2>&1 || true
    $DOCKER volume rm "$NAME" >/dev/null 2>&1 || true
    $DOCKER rmi "$IMAGE" >/dev/null 2>&1 || true
  fi
  if [ -n "$ENGINE_PID" ] && [ "${HEARTH_CONTAINER_KEEP_ENGINE:-}" != 1 ]; then
    kill "$ENGINE_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$WORK" ${CONTEXT:+"$CONTEXT"}
  exit "$rc"
}
trap cleanup EXIT

as_root() { [ "$(id -u)" = 0 ] || fail "$* needs root (or a running Docker engine and HEARTH_CONTAINER_BASE)"; }

apt_install() {
  # With the package lists as they are, then once more after updating them.
  local install=(apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "$@")
  DEBIAN_FRONTEND=noninteractive "${install[@]}" >"$WORK/apt.log" 2>&1 \
    || { apt-get update -q >>"$WORK/apt.log" 2>&1 && DEBIAN_FRONTEND=noninteractive "${install[@]}" >>"$WORK/apt.log" 2>&1; } \
    || { cat "$WORK/apt.log" >&2; fail "could not install $*"; }
}

# ---- the engine ----
if ! command -v dockerd >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
  as_root "installing Docker"
  say "installing Debian's docker.io"
  apt_install docker.io
fi
# BuildKit is needed (the Dockerfile's cache mounts). A client with buildx does it; otherwise
# Debian's client (the engine's own version) does it with DOCKER_BUILDKIT=1.
DOCKER=docker
if ! docker buildx version >/dev/null 2>&1 && [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; fi
export DOCKER_BUILDKIT=1
if ! $DOCKER info >/dev/null 2>&1; then
  as_root "starting dockerd"
  say "starting dockerd (log: $STATE/dockerd.log)"
  # No bridge and no iptables rules: the containers here use the host's network.
  dockerd --iptables=false --ip6tables=false --bridge=none >"$STATE/dockerd.log" 2>&1 &
  ENGINE_PID=$!
  for _ in $(seq 1 300); do
    $DOCKER info >/dev/null 2>&1 && break
    kill -0 "$ENGINE_PID" 2>/dev/null || { tail -20 "$STATE/dockerd.log" >&2; fail "dockerd exited"; }
    sleep 0.1
  done
  $DOCKER info >/dev/null 2>&1 || { tail -20 "$STATE/dockerd.log" >&2; fail "dockerd did not answer in 30 s"; }
fi
mark "engine ready"

# debian:bookworm-slim itself where it can be pulled; otherwise one made here from Debian's packages.
if [ -z "${HEARTH_CONTAINER_BASE:-}" ] \
  && timeout 120 $DOCKER pull -q debian:bookworm-slim >/dev/null 2>&1; then
  HEARTH_CONTAINER_BASE=debian:bookworm-slim BASE=debian:bookworm-slim
fi

# ---- the base image, made once (again when this recipe changes, or after 30 days for the
# security updates) ----
RECIPE=2
base_is_current() {
  [ -n "${HEARTH_CONTAINER_BASE:-}" ] && return 0
  local made recipe
  recipe=$($DOCKER image inspect -f '{{index .Config.Labels "hearth.base-recipe"}}' "$BASE" 2>/dev/null) || return 1
  made=$($DOCKER image inspect -f '{{.Created}}' "$BASE")
  [ "$recipe" = "$RECIPE" ] && [ $(($(date +%s) - $(date -d "$made" +%s))) -lt $((30 * 86400)) ]
}
if ! base_is_current; then
  $DOCKER image inspect "$BASE" >/dev/null 2>&1 || [ -z "${HEARTH_CONTAINER_BASE:-}" ] \
    || fail "the base image $BASE is not in the engine"
  as_root "making the base image"
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  OLD_BASE=$($DOCKER image inspect -f '{{.Id}}' "$BASE" 2>/dev/null || true)
  say "making $BASE with debootstrap from $MIRROR"
  ROOTFS="$WORK/rootfs"
  # Signed: the Release file is checked against Debian's archive keys, or nothing is installed.
  debootstrap --variant=minbase --force-check-gpg --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
    bookworm "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; fail "debootstrap failed"; }
  # As debian:bookworm-slim: the release, its updates and its security updates; no
  # documentation, manual pages or translations (now, nor from later installs).
  rm -f "$ROOTFS/etc/apt/sources.list"
  cat >"$ROOTFS/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  cat >"$ROOTFS/etc/apt/apt.conf.d/slim" <<'EOF'
// No package files or caches left in an image's layers after an install; no translations.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
APT::Install-Suggests "false";
EOF
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  chroot "$ROOTFS" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -q && apt-get clean' \
    >>"$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; fail "the base's security updates failed"; }
  find "$ROOTFS/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
  find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/var/lib/apt/lists/* \
    "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/log/*.log
  find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  : >"$ROOTFS/etc/resolv.conf"
  tar --numeric-owner -C "$ROOTFS" -c . \
    | $DOCKER import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' --change "LABEL hearth.base-recipe=$RECIPE" --message "debootstrap --variant=minbase bookworm, slimmed" - "$BASE" >/dev/null
  rm -rf "$ROOTFS"
  [ -z "$OLD_BASE" ] || $DOCKER rmi "$OLD_BASE" >/dev/null 2>&1 || true
  mark "base image made"
fi
[ "$MODE" = prepare ] && { say "prepared in $(elapsed) s"; exit 0; }

# ---- the image ----
case "$MODE" in
  debug|release)
    say "building hearth ($MODE)"
    if [ "$MODE" = release ]; then
      cargo build --quiet --locked --release -p hearth
    else
      cargo build --quiet --locked -p hearth
    fi
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$MODE/hearth"
    ;;
esac
if [ "$MODE" = source ]; then
  say "building the image from source (the Dockerfile's two stages)"
  $DOCKER build --network host --build-arg BASE_IMAGE="$BASE" \
    --build-arg RUST_IMAGE="${HEARTH_CONTAINER_RUST_IMAGE:-rust:1-bookworm}" \
    -t "$IMAGE" -f Dockerfile . >"$WORK/build.log" 2>&1 \
    || { tail -40 "$WORK/build.log" >&2; fail "docker build failed"; }
else
  [ -x "$BIN" ] || fail "no binary at $BIN"
  CONTEXT=$(mktemp -d)
  cp "$BIN" "$CONTEXT/hearth"
  say "building the image from $BIN ($(du -h "$BIN" | cut -f1)) on $BASE"
  $DOCKER build --network host --target prebuilt --build-arg BASE_IMAGE="$BASE" \
    -t "$IMAGE" -f Dockerfile "$CONTEXT" >"$WORK/build.log" 2>&1 \
    || { tail -40 "$WORK/build.log" >&2; fail "docker build failed"; }
fi
mark "image built ($($DOCKER image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"

# ---- run it as an operator would, hardened ----
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
$DOCKER volume create "$NAME" >/dev/null
$DOCKER run -d --name "$NAME" --network host -e HEARTH_LISTEN="127.0.0.1:$PORT" \
  -v "$NAME:/var/lib/hearth" --read-only --tmpfs /tmp --cap-drop ALL \
  --security-opt no-new-privileges --health-interval 2s "$IMAGE" >/dev/null
mark "container started on port $PORT"

wait_ready() {
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "$URL/readyz" && return 0
    [ "$($DOCKER inspect -f '{{.State.Running}}' "$NAME")" = true ] || fail "the container exited: $($DOCKER inspect -f '{{.State.ExitCode}}' "$NAME")"
    sleep 0.5
  done
  fail "/readyz did not answer 200 in 300 s"
}
wait_ready
mark "/readyz 200"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" = 200 ] || fail "/healthz is not 200"

for _ in $(seq 1 60); do
  [ "$($DOCKER inspect -f '{{.State.Health.Status}}' "$NAME")" = healthy ] && break
  sleep 0.5
done
[ "$($DOCKER inspect -f '{{.State.Health.Status}}' "$NAME")" = healthy ] \
  || fail "the image's health check did not report healthy: $($DOCKER inspect -f '{{json .State.Health}}' "$NAME")"
mark "health check healthy"

# The sign-in page, and a demo user signing in through it.
JAR="$WORK/cookies"
curl -fs -c "$JAR" -b "$JAR" "$URL/sign-in" >"$WORK/sign-in.html" || fail "GET /sign-in failed"
grep -q 'Sign in' "$WORK/sign-in.html" || fail "the sign-in page does not say Sign in"
CSRF=$(grep -m1 -o 'name="csrf_token" value="[^"]*"' "$WORK/sign-in.html" | sed -n '1{s/.*value="//; s/"$//; p}')
[ -n "$CSRF" ] || fail "the sign-in page has no CSRF token"
STATUS=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -c "$JAR" -b "$JAR" \
  --data-urlencode "csrf_token=$CSRF" --data-urlencode "email=lead@demo.hearth.test" \
  --data-urlencode "password=family-help-demo" "$URL/sign-in")
[ "${STATUS%% *}" = 303 ] || fail "signing in as the demo lead answered $STATUS, not a redirect"
# (Pages and logs are read into files first: `grep -q` stops reading at the first match, and
# under pipefail the writer's broken pipe would fail the check now and then.)
curl -fs -b "$JAR" "$URL/" >"$WORK/home.html" || fail "the demo lead's home page did not answer 200"
grep -q 'Sign out' "$WORK/home.html" || fail "the demo lead's home page does not show Sign out"
mark "sign-in page served; the demo lead signed in"

# The process: uid 10001, no capabilities, no way to gain privileges.
PID=$($DOCKER inspect -f '{{.State.Pid}}' "$NAME")
UIDS=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$PID/status")
[ "$UIDS" = "10001 10001 10001 10001" ] || fail "hearth runs with uids $UIDS, not 10001"
[ "$(awk '/^CapEff:/ {print $2}' "/proc/$PID/status")" = 0000000000000000 ] || fail "hearth has capabilities"
[ "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$PID/status")" = 1 ] || fail "no_new_privs is not set"
[ "$($DOCKER exec "$NAME" sh -c 'find /var/lib/hearth ! -user hearth | wc -l')" = 0 ] \
  || fail "files in the volume not owned by hearth"
mark "runs as uid 10001 with no capabilities"

# JSON log lines, with the request id of each request.
$DOCKER logs "$NAME" 2>&1 | grep '^{' | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin]
assert lines, "no JSON log lines"
spans = [l for l in lines if l.get("span", {}).get("request_id")]
assert any(l["span"].get("path") == "/sign-in" for l in spans), "no log line with a request id for /sign-in"
' || fail "the log is not JSON lines with request ids"

# SIGTERM: docker stop waits up to 30 s, then kills; Hearth must stop by itself, well before.
T0=$(date +%s%N)
$DOCKER stop -t 30 "$NAME" >/dev/null
STOP_MS=$((($(date +%s%N) - T0) / 1000000))
EXIT=$($DOCKER inspect -f '{{.State.ExitCode}} {{.State.OOMKilled}}' "$NAME")
[ "$EXIT" = "0 false" ] || fail "after SIGTERM the exit code was $EXIT, not 0"
[ "$STOP_MS" -lt 10000 ] || fail "stopping took $STOP_MS ms"
$DOCKER logs "$NAME" >"$WORK/container.log" 2>&1
grep -q '"message":"stopped"' "$WORK/container.log" || fail "the log does not say it stopped"
mark "SIGTERM: stopped cleanly in $STOP_MS ms"

# It starts again on the same volume (a restart, an upgrade).
$DOCKER start "$NAME" >/dev/null
wait_ready
mark "restarted on the same volume: /readyz 200"
$DOCKER stop -t 30 "$NAME" >/dev/null
[ "$($DOCKER inspect -f '{{.State.ExitCode}}' "$NAME")" = 0 ] || fail "the second stop did not exit 0"

say "passed in $(elapsed) s:"
printf '  %s\n' "${TIMES[@]}"
