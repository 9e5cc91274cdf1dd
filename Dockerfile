# syntax=docker/dockerfile:1
#
# The sheaf binary in a small image. Targets:
#
#   docker build -t sheaf .                       # runtime: the binary only (sequencer, prover, submitter, watcher, migrate)
#   docker build -t sheaf-tools --target tools .  # + Node.js and solc-js: `sheaf deploy` compiles the verifier with them
#
# Both images run as the unprivileged user `sheaf` (uid 10001) in /var/lib/sheaf;
# ENTRYPOINT is the binary, so `docker run sheaf prover --db.url ...` runs `sheaf prover`.
#
# GPU provers (ICICLE): off by default. `--build-arg ICICLE=1` builds with
# `-tags icicle` and cgo, which needs the ICICLE libraries in /usr/local/lib of
# the builder and the CUDA runtime in the final image, so it must be combined
# with both base images, e.g.
#
#   docker build --build-arg ICICLE=1 \
#     --build-arg BUILDER_IMAGE=<golang 1.26 + CUDA toolkit + ICICLE libs built as in docs/prover.md> \
#     --build-arg RUNTIME_IMAGE=nvidia/cuda:12.6.3-runtime-ubuntu24.04 -t sheaf-gpu .
#
# and the ICICLE libraries copied into the runtime (see docs/operations.md,
# "GPU provers"). The GPU image has not been built on this project's machines.

ARG BUILDER_IMAGE=golang:1.26
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${BUILDER_IMAGE} AS build
ARG ICICLE=0
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/root/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    set -eu; \
    if [ "$ICICLE" = "1" ]; then \
      export CGO_ENABLED=1 CGO_LDFLAGS="-L/usr/local/lib -licicle_device -lstdc++ -lm -Wl,-rpath=/usr/local/lib"; \
      tags="-tags icicle"; \
    else \
      export CGO_ENABLED=0; tags=""; \
    fi; \
    go build $tags -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/sheaf ./cmd/sheaf; \
    /out/sheaf --version

# solc-js, pinned by package-lock.json (dependencies only: not anvil).
FROM node:22-bookworm-slim AS solc
WORKDIR /opt/sheaf
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${RUNTIME_IMAGE} AS runtime
RUN set -eu; \
    if command -v apt-get >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*; \
    fi; \
    groupadd --system --gid 10001 sheaf && useradd --system --uid 10001 --gid sheaf --home-dir /var/lib/sheaf --create-home sheaf; \
    mkdir -p /var/lib/sheaf/keys /var/lib/sheaf/deployment && chown -R sheaf:sheaf /var/lib/sheaf
# (keys/ and deployment/ exist so that volumes mounted there start owned by sheaf)
COPY --from=build /out/sheaf /usr/local/bin/sheaf
USER 10001:10001
WORKDIR /var/lib/sheaf
# wallet JSON-RPC (sequencer) and /metrics, /healthz, /readyz (every service);
# both listen on 127.0.0.1 unless --rpc.addr / --metrics.addr say otherwise.
EXPOSE 8645 9645
ENTRYPOINT ["sheaf"]
CMD ["--help"]

# `sheaf setup` and `sheaf deploy`: the binary plus Node.js and solc-js, which
# compile the exported Groth16 verifier before it is deployed.
FROM runtime AS tools
USER root
COPY --from=solc /usr/local/bin/node /usr/local/bin/node
COPY --from=solc /opt/sheaf/node_modules /opt/sheaf/node_modules
# The binary carries its compile script; node finds solc-js through NODE_PATH.
ENV NODE_PATH=/opt/sheaf/node_modules
USER 10001:10001

# The default target is the small runtime image.
FROM runtime
