# syntax=docker/dockerfile:1
# opskit: a multi-stage build. The first stage compiles the release binary;
# the runtime stage is a small Debian image with the binary alone, run as an
# unprivileged user, with a health check on /readyz.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
# The registry and target caches keep rebuilds incremental (BuildKit).
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin opskit \
    && install -D target/release/opskit /out/opskit

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/opskit --create-home opskit
COPY --from=build /out/opskit /usr/local/bin/opskit
USER opskit
WORKDIR /var/lib/opskit
ENV DATABASE_URL=sqlite:///var/lib/opskit/opskit.db?mode=rwc \
    OPSKIT_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["opskit"]
CMD ["serve", "--bind", "0.0.0.0:8080"]
