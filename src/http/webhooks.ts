import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context";
import type { EventIngest } from "../events/ingest";
import { isKnownTopic } from "../events/topics";
import { eventKeyOf, webhookHeadersSchema } from "../events/webhook-headers";
import { shopNamedInBody, staleReason } from "../events/webhook-shop";
import { InvalidSignatureError, verifyWebhookHmac } from "../shopify/webhook-hmac";
import { isJsonObject } from "./json-object";
import type { Metrics } from "./metrics";

/** Largest webhook body accepted (2 MB); Shopify's biggest orders stay well below it. */
export const WEBHOOK_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function answer(res: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

/** Answers 413 and closes the connection: the rest of an oversized body is not read. */
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("connection", "close");
  res.on("finish", () => req.destroy());
  answer(res, 413, { error: "body too large" });
}

/** Reads the raw body, or null (having answered 413) once it passes the limit. */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > WEBHOOK_BODY_LIMIT_BYTES) {
      tooLarge(req, res);
      return resolve(null);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= WEBHOOK_BODY_LIMIT_BYTES) return void chunks.push(chunk);
      if (!res.headersSent) {
        tooLarge(req, res);
        resolve(null);
      }
    });
    req.on("end", () => resolve(size > WEBHOOK_BODY_LIMIT_BYTES ? null : Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}

/**
 * POST /webhooks, every topic. Verifies, stores (de-duplicated, group-committed), answers 200;
 * the handlers run later from the database. Nothing here knows what a topic means.
 *
 * A plain Node handler, reached before Express (src/server.ts): at 1,000+ webhooks a second the
 * router and body parser cost a measurable share of the acknowledgement (bench/README.md).
 */
export function webhookHandler(ctx: AppContext, ingest: EventIngest, metrics: Metrics): Handler {
  const secret = ctx.config.SHOPIFY_API_SECRET;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const done = (status: number, outcome: string, body: object) => {
      metrics.webhooks.inc({ outcome });
      answer(res, status, body);
    };
    if (!secret) {
      req.resume();
      return done(503, "unconfigured", { error: "SHOPIFY_API_SECRET is not set: the app cannot verify webhooks yet" });
    }
    const raw = await readBody(req, res);
    if (raw === null) return metrics.webhooks.inc({ outcome: "too_large" });
    const hmac = req.headers["x-shopify-hmac-sha256"];
    try {
      verifyWebhookHmac(raw, Array.isArray(hmac) ? hmac[0] : hmac, secret);
    } catch (err) {
      if (err instanceof InvalidSignatureError) return done(401, "forged", { error: err.message });
      throw err;
    }
    const headers = webhookHeadersSchema.safeParse(req.headers);
    if (!headers.success) return done(400, "bad_headers", { error: headers.error.issues[0]!.message });
    const h = headers.data;
    const eventKey = eventKeyOf(h);
    if (!eventKey) return done(400, "bad_headers", { error: "X-Shopify-Event-Id (or X-Shopify-Webhook-Id) header is missing" });
    if (!isJsonObject(raw)) return done(400, "malformed", { error: "body is not a JSON object" });
    const topic = h["x-shopify-topic"];
    const shop = h["x-shopify-shop-domain"];
    // A child logger costs more than the rest of the request: made only when there is a line to log.
    const log = () => ctx.log.child({ shop, topic, eventId: eventKey });
    const named = shopNamedInBody(topic, raw);
    if (named !== null && named !== shop) {
      log().warn({ named }, "webhook body names another shop than its header: refused");
      return done(401, "shop_mismatch", { error: "the body names another shop than X-Shopify-Shop-Domain: nothing stored" });
    }
    const known = isKnownTopic(topic);
    const stale = staleReason(topic, h["x-shopify-triggered-at"], ctx.clock.now());
    if (!known) log().warn("webhook for a topic the app does not handle: acknowledged and kept");
    if (stale) log().warn({ triggeredAt: h["x-shopify-triggered-at"] }, "webhook older than Shopify's retry horizon: acknowledged and ignored");
    const isNew = await ingest.store({
      shopDomain: shop,
      topic,
      eventKey,
      webhookId: h["x-shopify-webhook-id"] ?? null,
      apiVersion: h["x-shopify-api-version"] ?? null,
      triggeredAt: h["x-shopify-triggered-at"] ?? null,
      customerId: null,
      payload: raw,
      state: known && !stale ? "received" : "skipped",
      note: !known ? "topic not handled by the app" : stale,
    });
    if (!isNew) log().info("duplicate delivery of a stored event: acknowledged, not processed again");
    done(200, isNew ? "stored" : "duplicate", { ok: true, duplicate: !isNew });
  };
  return (req, res) => {
    handle(req, res).catch((err) => {
      ctx.log.error({ err: (err as Error).message }, "webhook not stored: answered 500, Shopify will retry");
      metrics.webhooks.inc({ outcome: "error" });
      if (!res.headersSent) answer(res, 500, { error: "internal error: nothing was stored, the sender may retry" });
    });
  };
}
