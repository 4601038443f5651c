# Hearth in a container: `docker build -t hearth .` then
#   docker run -p 8080:8080 -v hearth-data:/var/lib/hearth hearth
# starts it on SQLite with the synthetic demo partnership (no real person's data). For real use,
# override the command (`serve`) and pass settings as HEARTH_* variables (README, docs/operations.md).
#
# Without a registry (scripts/container-test.sh does this): the `prebuilt` target packs a binary
# built on a Debian 12 host instead of compiling one, on a base image made locally:
#   docker build --target prebuilt --build-arg BASE_IMAGE=… -f Dockerfile DIR_WITH_hearth

# The images are arguments so that a mirror, or a base made locally, can stand in for them.
ARG RUST_IMAGE=rust:1-bookworm
ARG BASE_IMAGE=debian:bookworm-slim

# ---- build: the one binary, with the front-end assets embedded (they are committed) ----
FROM ${RUST_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p hearth \
    && install -D target/release/hearth /out/hearth

# ---- runtime: a small Debian with no compiler, as an unprivileged user ----
FROM ${BASE_IMAGE} AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/hearth hearth \
    && install -d -o hearth -g hearth -m 0700 /var/lib/hearth
USER hearth
WORKDIR /var/lib/hearth
# Listen on every interface inside the container; the database, the audit key and the anchors
# live in the volume; logs as JSON lines for the collector.
ENV HEARTH_LISTEN=0.0.0.0:8080 \
    HEARTH_DATA_DIR=/var/lib/hearth \
    HEARTH_LOG_FORMAT=json
VOLUME ["/var/lib/hearth"]
EXPOSE 8080
# Ready once the database answers and is migrated (the demo takes a few seconds to load). The
# port is read from HEARTH_LISTEN, so the check follows a listen address set at `docker run`.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${HEARTH_LISTEN##*:}/readyz" || exit 1
# SIGTERM lets requests in flight finish (up to shutdown_drain_seconds) before it stops. Hearth
# is process 1 (the exec form below) and handles SIGTERM itself.
STOPSIGNAL SIGTERM
ENTRYPOINT ["hearth"]
CMD ["serve", "--demo"]

# ---- prebuilt: the runtime with a binary from the build context (a Debian 12 host's build) ----
FROM runtime AS prebuilt
COPY hearth /usr/local/bin/hearth

# ---- the default image: the runtime with the binary compiled above ----
FROM runtime
COPY --from=build /out/hearth /usr/local/bin/hearth
