import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context";
import type { EventIngest } from "../events/ingest";
import { isKnownTopic } from "../events/topics";
import { eventKeyOf, webhookHeadersSchema } from "../events/webhook-headers";
import { shopNamedInBody, staleReason } from "../events/webhook-shop";
import { InvalidSignatureError, verifyWebhookHmac } from "../shopify/webhook-hmac";
import { BodyBudget } from "./body-budget";
import { clientAddress } from "./client-address";
import { isJsonObject } from "./json-object";
import type { Metrics } from "../metrics";

/** Largest webhook body accepted (2 MB); Shopify's biggest orders stay well below it. */
export const WEBHOOK_BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/**
 * Bytes of webhook bodies held before their HMAC is checked, across all connections (see
 * BodyBudget): 32 MB is 16 bodies at the 2 MB limit at once, or 2,000 of Shopify's 14 KB orders.
 */
export const WEBHOOK_BODY_BUDGET_BYTES = 32 * 1024 * 1024;
/**
 * Webhook bodies one client address may be sending at once. Shopify's deliveries take
 * milliseconds each, so even a burst from one of its addresses has a few in flight.
 */
export const WEBHOOK_READS_PER_ADDRESS = 64;
/** What a refused client is told to wait before trying again, in seconds. */
const RETRY_AFTER_S = 5;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function answer(res: ServerResponse, status: number, body: object, headers: Record<string, string | number> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(json), ...headers });
  res.end(json);
}

/** Answers and closes the connection: the rest of the body is not read. */
function answerAndClose(req: IncomingMessage, res: ServerResponse, status: number, body: object, headers: Record<string, string | number> = {}): void {
  if (res.headersSent) return;
  res.on("finish", () => req.destroy());
  answer(res, status, body, { connection: "close", ...headers });
}

const tooLarge = (req: IncomingMessage, res: ServerResponse) => answerAndClose(req, res, 413, { error: "body too large" });
const overBudget = (req: IncomingMessage, res: ServerResponse) =>
  answerAndClose(req, res, 503, { error: "too many webhook bodies in flight: try again shortly" }, { "retry-after": RETRY_AFTER_S });

/** Why a body was not read: the answer has been given, or the client went away. */
type Unread = "too_large" | "over_budget" | "aborted";

/**
 * Reads the raw body within the limit and the budget's share; or answers (413, 503) and says
 * why. The bytes stop counting against the budget once the body is read (or abandoned).
 */
function readBody(req: IncomingMessage, res: ServerResponse, budget: BodyBudget): Promise<Buffer | Unread> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > WEBHOOK_BODY_LIMIT_BYTES) {
      tooLarge(req, res);
      return resolve("too_large");
    }
    let done = false;
    const finish = (outcome: Buffer | Unread) => {
      done = true;
      allowance.release();
      resolve(outcome);
    };
    const allowance = budget.open(() => {
      if (done) return;
      overBudget(req, res);
      finish("over_budget");
    });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > WEBHOOK_BODY_LIMIT_BYTES) {
        tooLarge(req, res);
        return finish("too_large");
      }
      if (!allowance.take(chunk.length)) {
        overBudget(req, res);
        return finish("over_budget");
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) finish(Buffer.concat(chunks, size));
    });
    // Gone before its end (aborted, or cut off by the server's request timeout).
    req.on("close", () => {
      if (!done) finish("aborted");
    });
    req.on("error", (err) => {
      allowance.release();
      if (!done) reject(err);
    });
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
  const hops = ctx.config.TRUST_PROXY;
  const budget = new BodyBudget(WEBHOOK_BODY_BUDGET_BYTES);
  const readingByAddress = new Map<string, number>();
  /** The body, read within the per-address cap and the budget; or why not (answered). */
  const receive = async (req: IncomingMessage, res: ServerResponse): Promise<Buffer | Unread> => {
    const address = clientAddress(req, hops);
    const reading = readingByAddress.get(address) ?? 0;
    if (reading >= WEBHOOK_READS_PER_ADDRESS) {
      overBudget(req, res);
      return "over_budget";
    }
    readingByAddress.set(address, reading + 1);
    try {
      return await readBody(req, res, budget);
    } finally {
      const left = readingByAddress.get(address)! - 1;
      if (left === 0) readingByAddress.delete(address);
      else readingByAddress.set(address, left);
    }
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const arrived = performance.now();
    const done = (status: number, outcome: string, body: object, headers: Record<string, string | number> = {}) => {
      metrics.webhooks.inc({ outcome });
      answer(res, status, body, headers);
      metrics.webhookAckSeconds.observe({ outcome }, (performance.now() - arrived) / 1000);
    };
    if (!secret) {
      req.resume();
      return done(503, "unconfigured", { error: "SHOPIFY_API_SECRET is not set: the app cannot verify webhooks yet" });
    }
    const raw = await receive(req, res);
    if (!Buffer.isBuffer(raw)) return metrics.webhooks.inc({ outcome: raw });
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
    const stale = staleReason(topic, h["x-shopify-triggered-at"], ctx.clock);
    if (!known) log().warn("webhook for a topic the app does not handle: acknowledged, its body not kept");
    if (stale) log().warn({ triggeredAt: h["x-shopify-triggered-at"] }, "webhook older than Shopify's retry horizon: acknowledged and ignored");
    const work = known && !stale;
    let isNew: boolean;
    try {
      isNew = await ingest.store({
        shopDomain: shop,
        topic,
        eventKey,
        webhookId: h["x-shopify-webhook-id"] ?? null,
        apiVersion: h["x-shopify-api-version"] ?? null,
        triggeredAt: h["x-shopify-triggered-at"] ?? null,
        customerId: null,
        // What will not be worked is not kept: no handler reads its body, and customers/redact
        // could not find whom an unread body names.
        payload: work ? raw : null,
        state: work ? "received" : "skipped",
        note: !known ? "topic not handled by the app" : stale,
      });
    } catch (err) {
      // The database is away (restarting, failing over, full): Shopify tries again later.
      log().warn({ err: (err as Error).message.split("\n")[0] }, "webhook not stored: database unavailable, answered 503");
      return done(503, "unstored", { error: "the database is unavailable: nothing was stored, try again shortly" }, { "retry-after": RETRY_AFTER_S });
    }
    if (!isNew) log().info("duplicate delivery of a stored event: acknowledged, not processed again");
    done(200, isNew ? "stored" : "duplicate", { ok: true, duplicate: !isNew });
  };
  return (req, res) => {
    handle(req, res).catch((err) => {
      ctx.log.error({ err: (err as Error).message, stack: (err as Error).stack }, "webhook not stored: answered 500, Shopify will retry");
      metrics.webhooks.inc({ outcome: "error" });
      if (!res.headersSent) answer(res, 500, { error: "internal error: nothing was stored, the sender may retry" });
    });
  };
}
