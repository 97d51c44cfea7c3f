import http from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, type Config } from "./config/env";
import { systemClock, type Clock } from "./clock";
import type { AppContext } from "./context";
import { createContext } from "./create-context";
import { DEFAULT_WORKER_OPTIONS, DeliveryWorker, type WorkerOptions } from "./delivery/worker";
import { EventIngest } from "./events/ingest";
import { EventProcessor } from "./events/processor";
import { PayloadRetention } from "./events/retention";
import { createHealthApp, createRequestHandler } from "./http/app";
import { Metrics } from "./metrics";
import { createLogger, type Logger } from "./log";
import { openDatabase } from "./store/db";
import { backlogAges } from "./http/health";
import { TokenUpkeep } from "./shopify/token-upkeep";

/** How long a client may take to send its request's headers, and the whole request. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 20_000;

/** How long the start-up write probe waits for SQLite's write lock (another process writing for a moment). */
const START_PROBE_BUSY_MS = 10_000;

/** Default for StartOptions.shutdownGraceMs. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface RunningApp {
  ctx: AppContext;
  /** Base URL of the HTTP server, when this process serves HTTP. */
  url?: string;
  /** Base URL of the METRICS_PORT listener (/healthz and /metrics alone), when METRICS_PORT is set. */
  metricsUrl?: string;
  processor?: EventProcessor;
  worker?: DeliveryWorker;
  retention?: PayloadRetention;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  clock?: Clock;
  worker?: Partial<WorkerOptions>;
  /** Tests drive the processor and worker by hand (runOnce) when false. */
  background?: boolean;
  /** How long stop() waits for open HTTP responses before closing their connections. */
  shutdownGraceMs?: number;
}

/**
 * Starts what `ROLE` asks for in this process: the HTTP server (web), the event processor and
 * delivery worker (worker) or all of them (all). Migrations are applied before this, by `npm start`.
 */
export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config.DATABASE_URL, log);
  const ctx = createContext(config, database, log, options.clock ?? systemClock);
  const secrets = await ctx.shops.secretsUnreadable();
  if (secrets.unreadable > 0) {
    await database.close();
    throw new ConfigError(
      config.ENCRYPTION_KEY
        ? `ENCRYPTION_KEY cannot open ${secrets.unreadable} of the ${secrets.stored} JoinChat secrets stored in the database: it is not the key they were stored with. Set that key, or store the secrets again under this one (npm run cli -- shop:set)`
        : `ENCRYPTION_KEY is not set, and the database holds ${secrets.stored} JoinChat secrets sealed with it: set the key they were stored with`,
    );
  }
  // A database that cannot be written (a read-only file, a standby) would fail every webhook: said now, in one line.
  await database.probeWrite(START_PROBE_BUSY_MS).catch(async (err) => {
    await database.close();
    throw err;
  });
  const metrics = new Metrics(async () => {
    const now = ctx.clock.now();
    const [events, deliveries, ages, outage] = await Promise.all([
      ctx.events.countByState(),
      ctx.deliveries.countByState(),
      backlogAges(ctx, now),
      ctx.joinchatOutage.current(now),
    ]);
    return {
      events,
      deliveries,
      oldestDueEventAgeSeconds: ages.event,
      oldestDueMessageAgeSeconds: ages.message,
      stuckEvents: ages.stuck.count,
      oldestStuckEventAgeSeconds: ages.stuck.oldestAgeSeconds,
      joinchatUnreachableSeconds: outage ? Math.max(0, (now.getTime() - outage.since.getTime()) / 1000) : 0,
    };
  });
  const background = options.background ?? true;
  let processor: EventProcessor | undefined;
  let worker: DeliveryWorker | undefined;
  let retention: PayloadRetention | undefined;
  let tokenUpkeep: TokenUpkeep | undefined;
  if (config.ROLE !== "web") {
    worker = new DeliveryWorker(ctx, metrics, { ...DEFAULT_WORKER_OPTIONS, leaseMs: config.DELIVERY_LEASE_MS, ...options.worker });
    const w = worker;
    processor = new EventProcessor(ctx, metrics, () => w.poke());
    retention = new PayloadRetention(ctx);
    if (background) {
      processor.start();
      worker.start();
      retention.start();
      tokenUpkeep = ctx.tokens ? new TokenUpkeep(ctx.tokens, log) : undefined;
      tokenUpkeep?.start();
    }
  }
  const ingest = new EventIngest(ctx.events, ctx.clock, 200, () => processor?.poke());
  let server: http.Server | undefined;
  let url: string | undefined;
  if (config.ROLE !== "worker") {
    // Headers within 10 s and the whole request within 10 s more: Shopify gives up on a webhook
    // after 5 s, and a browser's requests here are small. A client trickling bytes is cut off
    // (checked every second) instead of holding its connection and memory.
    server = http.createServer(
      { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1_000 },
      createRequestHandler(ctx, { ingest, metrics, onScheduled: () => worker?.poke(), onEventQueued: () => processor?.poke() }),
    );
    server.keepAliveTimeout = 65_000;
    // Once stopping (the server no longer listens), a keep-alive connection is ended as soon as
    // its response is written (its bytes still flush): left open, it would hold shutdown for the
    // whole grace.
    const httpServer = server;
    server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
      const socket = req.socket;
      res.once("finish", () => {
        if (!httpServer.listening) socket.end();
      });
    });
    url = await listen(server, config.PORT);
  }
  let healthServer: http.Server | undefined;
  let metricsUrl: string | undefined;
  if (config.METRICS_PORT !== undefined) {
    healthServer = http.createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }, createHealthApp(ctx, metrics));
    metricsUrl = await listen(healthServer, config.METRICS_PORT).catch(async (err) => {
      server?.close();
      await processor?.stop();
      await worker?.stop();
      await retention?.stop();
      await tokenUpkeep?.stop();
      await database.close();
      throw err;
    });
  }
  return {
    ctx,
    url,
    metricsUrl,
    processor,
    worker,
    retention,
    async stop() {
      if (server) {
        // Requests in flight are answered; a client that stops reading a response (a stalled
        // socket) would hold shutdown forever, so connections still open after the grace go.
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server!.closeAllConnections(), options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS);
        await closed;
        clearTimeout(grace);
      }
      await ingest.drain();
      await processor?.stop();
      await worker?.stop();
      await retention?.stop();
      await tokenUpkeep?.stop();
      // Health answers until the work has stopped; then its connections (monitors' keep-alives) go too.
      if (healthServer) {
        const closed = new Promise<void>((resolve) => healthServer!.close(() => resolve()));
        healthServer.closeAllConnections();
        await closed;
      }
      await database.close();
    },
  };
}

/** Listens on `port` (0: one the system picks); the base URL it answers at over loopback. */
async function listen(server: http.Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
