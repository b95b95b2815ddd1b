# Liaison in one image: the console, guest pages, guest API and sockets are one process (server.ts).
# docs/DEPLOYMENT.md explains the image and the compose file (compose.yaml) that runs two of it.
#
#   docker build -t liaison .
#   docker run -p 3000:3000 -v liaison-data:/data liaison     # embedded database, one instance
#
# Build stage: dependencies (install scripts are not needed: every native part ships prebuilt, as on
# the machines we test on), the Prisma client and the Next.js production build.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 CI=1
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx tsx scripts/prepare.ts --force-build \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf .next/cache tests bench docs

# Runtime stage: Node and the built app, run as an unprivileged user; state lives in /data.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 LIAISON_DATA_DIR=/data
RUN groupadd --system liaison \
  && useradd --system --gid liaison --home-dir /app --shell /usr/sbin/nologin liaison \
  && mkdir -p /data && chown liaison:liaison /data
COPY --from=build --chown=liaison:liaison /app /app
USER liaison
VOLUME ["/data"]
EXPOSE 3000
# /api/health touches the database: an instance that cannot reach it is taken out of the balancer.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Straight to the server (not `npm start`): the image is already built, and signals reach Node directly.
CMD ["node", "--import", "tsx", "server.ts"]
