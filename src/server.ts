import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Config } from "./config/env";
import { createContext, systemClock, type AppContext, type Clock } from "./context";
import { createHttpApp } from "./http/app";
import { createLogger, type Logger } from "./log";
import { openDatabase } from "./store/db";

export interface RunningApp {
  ctx: AppContext;
  /** Base URL of the HTTP server, when this process serves HTTP. */
  url?: string;
  stop(): Promise<void>;
}

/**
 * Starts what `ROLE` asks for in this process: the HTTP server (web), the delivery worker
 * (worker) or both (all). Migrations are applied before this, by `npm start`.
 */
export async function startApp(config: Config, options: { log?: Logger; clock?: Clock } = {}): Promise<RunningApp> {
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config.DATABASE_URL);
  const ctx = createContext(config, database.db, database.provider, log, options.clock ?? systemClock);
  let server: http.Server | undefined;
  let url: string | undefined;
  if (config.ROLE !== "worker") {
    server = http.createServer(createHttpApp(ctx));
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(config.PORT, () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    ctx,
    url,
    async stop() {
      if (server) {
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      await database.close();
    },
  };
}
