# route-server as a container. Build (the socket group id must be the group of the Docker sockets):
#
#   docker build --build-arg DOCKER_GID="$(stat -c %g /var/run/rediacc/docker-2816.sock)" -t route-server .
#
# Run it on the host network (backends and the side server are loopback addresses of the host),
# with a read-only root: route-server writes only the two mounted directories, both owned by the
# image's user (uid 10001 unless APP_UID says otherwise). See deploy/README.md.
#
#   docker run -d --name route-server --network host --read-only --cap-drop ALL \
#     --security-opt no-new-privileges \
#     -v /var/run/rediacc:/var/run/rediacc:ro \
#     -v /etc/traefik/dynamic:/etc/traefik/dynamic \
#     -v /var/lib/route-server:/var/lib/route-server \
#     -e ROUTE_SERVER_BASE_DOMAIN=example.com route-server

# The current Node LTS line (26 since 2026-10-28); any image with node, npm and Debian's
# groupadd/useradd works (`npm run image-check` builds this file against a locally made one).
ARG NODE_IMAGE=node:26-slim

FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, exactly as locked. No install scripts: none is needed (esbuild's
# binary, which builds the bundle below, comes from its platform package; ssh2's optional native
# addon is never used).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE}
# The group that owns the Docker sockets on the host, and the uid/gid route-server runs as.
ARG DOCKER_GID=999
ARG APP_UID=10001
RUN groupadd --system --gid "${APP_UID}" route-server \
 && useradd --system --uid "${APP_UID}" --gid route-server --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin route-server \
 && if ! getent group "${DOCKER_GID}" >/dev/null; then groupadd --gid "${DOCKER_GID}" docker-sockets; fi \
 && usermod --append --groups "${DOCKER_GID}" route-server
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
# package.json, tsconfig.json, bin/ and src/ without tests: .dockerignore lets nothing else in.
# (One step: with the classic builder every step copies the whole image on some storage drivers.)
COPY . .
# The bundle the bin runs (bin/bundle.js: the sources as one module, run by plain node), built now:
# at run time the root is read-only. Should it ever not match the sources, the bin runs them through
# tsx, whose compile cache is kept in memory, so that nothing is written outside the mounted
# directories. Output and state paths are fixed, never a silent fallback.
RUN node bin/bundle.js
ENV NODE_ENV=production \
    TSX_DISABLE_CACHE=1 \
    ROUTE_SERVER_OUT=/etc/traefik/dynamic \
    ROUTE_SERVER_STATE_DIR=/var/lib/route-server
USER route-server
# /health answers 503 only when the output directory cannot be written; no curl in a slim image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://' + (process.env.ROUTE_SERVER_LISTEN || '127.0.0.1:7111') + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8's heap sized for a long-running process with a steady live set (the same flags as `npm start`;
# docs/scale.md, "Memory"): a young generation of 2 x 4 MB instead of up to 2 x 16 MB, and the old
# generation allowed to grow to 1.6 x what survived the last full GC, not up to 4 x. Compiled code
# kept when the process is quiet, and no pretenuring decided by the start-up burst (docs/scale.md,
# "Figures", Session 13).
ENTRYPOINT ["node", "--max-semi-space-size=4", "--heap-growing-percent=60", "--no-flush-bytecode", "--no-allocation-site-pretenuring", "/app/bin/route-server.js"]
CMD ["run"]
