// The process `npm start` runs (after migrations): HTTP server and/or delivery worker per ROLE.
// First, before any dependency loads: one line and exit 1 on a Node older than package.json's engines.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require("../scripts/require-node.cjs");
import fs from "node:fs";
import { ConfigError, loadConfig } from "./config/env";
import { createLogger } from "./log";
import { startApp } from "./server";
import { startupProblem } from "./startup-errors";

async function main(): Promise<void> {
  const hasEnvFile = fs.existsSync(".env");
  if (hasEnvFile) process.loadEnvFile(".env");
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  if (!hasEnvFile) {
    log.info(
      `No .env file: configured from the environment${config.provider === "sqlite" ? `, on the embedded SQLite database (${config.DATABASE_URL})` : ", on PostgreSQL"}; copy .env.example to .env to configure.`,
    );
  }
  if (!config.ENCRYPTION_KEY) log.warn("ENCRYPTION_KEY is not set: a shop's JoinChat secret cannot be stored until it is (openssl rand -hex 32; see .env.example).");
  if (config.missingForShopify.length > 0) {
    log.warn(
      `Not yet able to receive real Shopify webhooks: set ${config.missingForShopify.join(", ")} (see .env.example). ` +
        "The app runs; webhooks are refused until SHOPIFY_API_SECRET is set.",
    );
  }
  let app;
  try {
    app = await startApp(config, { log });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    // One line an operator can act on; the whole error only when asked for (LOG_LEVEL=debug).
    if (log.isLevelEnabled("debug")) console.error(err);
    const problem = startupProblem(err, config);
    console.error(
      `Start-up failed: ${
        problem ??
        `${
          String((err as Error).message ?? err)
            .split("\n")
            .find((l) => l.trim()) ?? "unknown error"
        } (LOG_LEVEL=debug shows the details)`
      }`,
    );
    process.exit(1);
  }
  log.info({ role: config.ROLE, database: config.provider, url: app.url }, `JoinChat Messenger app started${app.url ? ` on port ${config.PORT}` : ""}`);
  if (app.metricsUrl) log.info({ metricsUrl: app.metricsUrl }, `/healthz and /metrics also on port ${new URL(app.metricsUrl).port} (METRICS_PORT)`);
  else if (config.ROLE === "worker") log.info("ROLE=worker serves no HTTP: set METRICS_PORT (a port per process) to answer /healthz and /metrics");
  if (app.url) log.info(`Merchant admin: ${config.appUrl.replace(/\/$/, "")}/admin (from Shopify admin, or sign in with npm run cli -- admin:login --shop <shop>)`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: finishing in-flight work");
    await app.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  console.error(`Start-up failed: ${String((err as Error)?.message ?? err).split("\n")[0]}`);
  if (process.env.LOG_LEVEL === "debug") console.error(err);
  process.exit(1);
});
