# The service image: the same code as `npm start`, run as the API or the worker by command.
# Two stages: `build` installs every package from the lockfile and runs the build steps; the
# runtime image takes the result with the development packages pruned.
# Chromium comes from Debian here (CHROMIUM_PATH), not from the npm package.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The install, at the versions the lockfile pins (test/deploy/dockerfile.test.ts runs this
# line in a clean copy of package.json and package-lock.json). npm install, not npm ci: the
# lockfile lacks the entries of optional platform packages for other systems (macOS, Windows,
# other CPUs), which npm ci demands; once they are committed, npm ci works the same.
RUN npm install --no-audit --no-fund
COPY . .
# Build steps, before the development packages are pruned: the web application (web/dist,
# served by the API; its build regenerates the typed client from the app's OpenAPI first).
RUN npm run build:web
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    CHROMIUM_PATH=/usr/bin/chromium
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "entry/api.ts"]
