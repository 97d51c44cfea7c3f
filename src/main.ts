// The process `npm start` runs (after migrations): HTTP server and/or delivery worker per ROLE.
import fs from "node:fs";
import { ConfigError, loadConfig } from "./config/env";
import { createLogger } from "./log";
import { startApp } from "./server";

async function main(): Promise<void> {
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  else console.log("No .env file: running on the embedded SQLite default (copy .env.example to .env to configure).");
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
    throw err;
  }
  log.info({ role: config.ROLE, database: config.provider, url: app.url }, `JoinChat Messenger app started${app.url ? ` on port ${config.PORT}` : ""}`);
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
  console.error(err);
  process.exit(1);
});
