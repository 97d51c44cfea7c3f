import type { IncomingMessage, ServerResponse } from "node:http";
import express from "express";
import { webhookHandler } from "./webhooks";
import type { AppContext } from "../context";
import type { EventIngest } from "../events/ingest";
import { healthRoutes } from "./health";
import type { Metrics } from "../metrics";
import { metricsRoutes } from "./metrics";
import { proxyRoutes } from "./proxy";
import { clickRedirectRoutes } from "./click-redirect";
import { adminApiRoutes } from "./admin-api";
import { resultsExportRoutes } from "./results-export";
import { adminPageRoutes } from "./admin-page";
import { adminPrivacyRoutes } from "./admin-privacy";
import { adminSubscriberRoutes } from "./admin-subscribers";
import { oauthRoutes } from "../shopify/oauth";
import { httpAnswerOf } from "./errors";

export interface HttpDeps {
  ingest: EventIngest;
  metrics: Metrics;
  /** Called when a route queued a message (admin retry, test message), so the worker need not wait for its poll. */
  onScheduled?: () => void;
  /** Called when a route put a stored event back to be handled (admin retry), so the processor need not wait for its poll. */
  onEventQueued?: () => void;
}

/**
 * The HTTP server's handler: `POST /webhooks` goes straight to its plain Node handler, everything
 * else through Express. Routes only; every piece of work is in the layers below.
 */
export function createRequestHandler(ctx: AppContext, deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const webhooks = webhookHandler(ctx, deps.ingest, deps.metrics);
  const app = createHttpApp(ctx, deps);
  return (req, res) => {
    if (req.method === "POST" && (req.url === "/webhooks" || req.url?.startsWith("/webhooks?"))) webhooks(req, res);
    else app(req, res);
  };
}

/**
 * The app of METRICS_PORT's listener: `GET /healthz` and `GET /metrics` alone, the same routes
 * as the main server's, so a ROLE=worker process (no other HTTP) can be watched and scraped.
 */
export function createHealthApp(ctx: AppContext, metrics: Metrics): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.use(healthRoutes(ctx, metrics));
  app.use(metricsRoutes(metrics));
  app.use((_req, res) => void res.status(404).json({ error: "not found: this port serves GET /healthz and GET /metrics only" }));
  return app;
}

/** The Express app for every route but `POST /webhooks`. */
export function createHttpApp(ctx: AppContext, deps: HttpDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  // TRUST_PROXY proxies in front: req.ip is the address the outermost of them saw, not one a
  // client wrote (the same rule as clientAddress, for the plain /webhooks handler).
  app.set("trust proxy", ctx.config.TRUST_PROXY);
  app.use(healthRoutes(ctx, deps.metrics));
  app.use(proxyRoutes(ctx));
  app.use(clickRedirectRoutes(ctx));
  app.use(adminPageRoutes(ctx));
  app.use(adminPrivacyRoutes(ctx));
  app.use(resultsExportRoutes(ctx));
  app.use(adminSubscriberRoutes(ctx));
  app.use(adminApiRoutes(ctx, deps.onScheduled ?? (() => {}), deps.onEventQueued));
  if (ctx.shopify && ctx.config.SHOPIFY_LEGACY_OAUTH) app.use(oauthRoutes(ctx, ctx.shopify));
  app.use(metricsRoutes(deps.metrics));
  app.use((_req, res) => void res.status(404).json({ error: "not found" }));
  // Expected errors answer as httpAnswerOf says; body-parser errors carry their status (413 too
  // large, 400 unreadable); anything else is ours.
  app.use((err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const expected = httpAnswerOf(err);
    if (expected) return void res.status(expected.status).json(expected.body);
    if (err.type === "entity.too.large") return void res.status(413).json({ error: "body too large" });
    if (err.status && err.status >= 400 && err.status < 500) return void res.status(err.status).json({ error: err.message });
    ctx.log.error({ err: err.message, stack: err.stack }, "request failed");
    res.status(500).json({ error: "internal error: nothing was stored, the sender may retry" });
  });
  return app;
}
