# The app's image: one image for every role, chosen at run time with ROLE (README, "Running in
# production"). Build: docker build -t joinchat-messenger .
# Run (PostgreSQL; one web process and any number of workers, each a container):
#   docker run -d --env-file .env -e ROLE=web -p 3000:3000 joinchat-messenger
#   docker run -d --env-file .env -e ROLE=worker -e METRICS_PORT=9101 joinchat-messenger

FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source where no prebuilt binary matches the platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
# npm ci runs postinstall: generates both Prisma clients (no native engine download) and builds dist/.
RUN npm ci && npm prune --omit=dev --ignore-scripts

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 DATABASE_URL=file:/app/data/app.db
WORKDIR /app
# dist/ runs the app; scripts/, prisma/, prisma.config.ts and src/config, src/store (read by
# prisma.config.ts) apply migrations; node_modules holds the runtime dependencies only.
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# /healthz on PORT (web, all) or, for ROLE=worker, on METRICS_PORT (a worker without one is not checked).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "const p=process.env.ROLE==='worker'?process.env.METRICS_PORT:process.env.PORT;if(!p)process.exit(0);fetch('http://127.0.0.1:'+p+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# npm start checks (and applies) migrations, then hands its process to the app (exec): docker stop's SIGTERM reaches it.
CMD ["npm", "start"]
