# heygem-gateway image: the compiled server and web UI, ffmpeg, espeak-ng and the CJK font of
# burned captions (fonts-noto-cjk: "Noto Sans CJK SC"), run as a non-root user.
# Build: docker build -t heygem-gateway .   Run with the GPU containers: deploy/docker-compose.yml
# (see docs/deployment.md).

# Node 24, the LTS line with security fixes until April 2028 (Node 20's ended in April 2026); the
# code itself still runs on Node >= 20.10 (package.json engines), which CI uses.
# --- build: dependencies (better-sqlite3 compiles from source when no prebuilt binary downloads),
# then the server (tsc → dist/) and the UI (vite → web/dist/), then drop the dev dependencies.
FROM node:24-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so a source change does not reinstall them. `prepare` finds no sources yet
# and skips; the explicit build below does the work.
COPY package.json package-lock.json ./
COPY bin ./bin
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: only what runs. No sources in the image, so bin/ uses the shipped build as it is.
FROM node:24-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
# A fixed uid/gid, so host directories can be prepared for it (deploy/docker-compose.yml's init).
ARG HEYGEM_UID=10001
ARG HEYGEM_GID=10001
RUN groupadd --system --gid "${HEYGEM_GID}" heygem \
 && useradd --system --uid "${HEYGEM_UID}" --gid heygem --home-dir /var/lib/heygem-gateway --shell /usr/sbin/nologin heygem \
 && mkdir -p /var/lib/heygem-gateway \
 && chown heygem:heygem /var/lib/heygem-gateway
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
# Listening beyond loopback turns API keys on (create one before the first start: docs/deployment.md).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=5003 \
    DATA_DIR=/var/lib/heygem-gateway \
    LOG_FORMAT=json
USER heygem
EXPOSE 5003
VOLUME ["/var/lib/heygem-gateway"]
# Liveness: the process answers HTTP. (/api/health/live; readiness — store, disk, a healthy slot —
# is /api/health/ready, for a load balancer rather than for restarting the container.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 5003) + '/api/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself (graceful shutdown); `docker stop -t` ≥ the grace + 5 s.
ENTRYPOINT ["node", "bin/heygem-gateway.js"]
CMD ["serve"]
