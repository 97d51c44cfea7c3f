import express, { type Router } from "express";
import type { AppContext } from "../context";
import type { EventIngest } from "../events/ingest";
import { isKnownTopic } from "../events/topics";
import { eventKeyOf, webhookHeadersSchema } from "../events/webhook-headers";
import { InvalidSignatureError, verifyWebhookHmac } from "../shopify/webhook-hmac";
import type { Metrics } from "./metrics";

/** Largest webhook body accepted; Shopify's biggest orders stay well below it. */
export const WEBHOOK_BODY_LIMIT = "2mb";

/**
 * POST /webhooks, every topic. Verifies, stores (de-duplicated, group-committed), answers 200;
 * the handlers run later from the database. Nothing here knows what a topic means.
 */
export function webhookRoutes(ctx: AppContext, ingest: EventIngest, metrics: Metrics): Router {
  const router = express.Router();
  const secret = ctx.config.SHOPIFY_API_SECRET;
  router.post("/webhooks", express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req, res) => {
    const done = (status: number, outcome: string, body: object) => {
      metrics.webhooks.inc({ outcome });
      res.status(status).json(body);
    };
    if (!secret) return done(503, "unconfigured", { error: "SHOPIFY_API_SECRET is not set: the app cannot verify webhooks yet" });
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      verifyWebhookHmac(raw, req.get("x-shopify-hmac-sha256"), secret);
    } catch (err) {
      if (err instanceof InvalidSignatureError) return done(401, "forged", { error: err.message });
      throw err;
    }
    const headers = webhookHeadersSchema.safeParse(req.headers);
    if (!headers.success) return done(400, "bad_headers", { error: headers.error.issues[0]!.message });
    const h = headers.data;
    const eventKey = eventKeyOf(h);
    if (!eventKey) return done(400, "bad_headers", { error: "X-Shopify-Event-Id (or X-Shopify-Webhook-Id) header is missing" });
    const text = raw.toString("utf8");
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new SyntaxError("not an object");
    } catch {
      return done(400, "malformed", { error: "body is not a JSON object" });
    }
    const topic = h["x-shopify-topic"];
    const known = isKnownTopic(topic);
    // A child logger costs more than the rest of the request: made only when there is a line to log.
    const log = () => ctx.log.child({ shop: h["x-shopify-shop-domain"], topic, eventId: eventKey });
    if (!known) log().warn("webhook for a topic the app does not handle: acknowledged and kept");
    const isNew = await ingest.store({
      shopDomain: h["x-shopify-shop-domain"],
      topic,
      eventKey,
      webhookId: h["x-shopify-webhook-id"] ?? null,
      apiVersion: h["x-shopify-api-version"] ?? null,
      triggeredAt: h["x-shopify-triggered-at"] ?? null,
      customerId: null,
      payload: text,
      state: known ? "received" : "skipped",
      note: known ? null : "topic not handled by the app",
    });
    if (!isNew) log().info("duplicate delivery of a stored event: acknowledged, not processed again");
    done(200, isNew ? "stored" : "duplicate", { ok: true, duplicate: !isNew });
  });
  return router;
}
