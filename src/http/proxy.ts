import express, { type Router } from "express";
import { z } from "zod";
import type { AppContext } from "../context";
import { RateLimiter } from "./rate-limit";

/** JoinChat uuids are opaque ids from its SDK; this is what they look like, with room to spare. */
const uuidSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { message: "uuid must be 1-128 letters, digits, - or _" });

const bodySchema = z.object({ uuid: uuidSchema, action: z.enum(["link", "unlink"]).default("link") });

const signedQuerySchema = z.object({
  shop: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, { message: "shop is not a myshopify.com domain" }),
  logged_in_customer_id: z.string().regex(/^\d*$/).optional(),
});

/**
 * The Shopify App Proxy target (`/apps/joinchat/link` on the shop reaches `/proxy/link` here):
 * the storefront script reports the uuid JoinChat's SDK handed to `joinchatSendToMessengerCallback`.
 * Shopify signs the query (`signature`, with `shop`, `logged_in_customer_id`, `timestamp`); the
 * library checks it, including that the timestamp is at most 90 s old. The uuid travels in the
 * POST body (the GET form with `?uuid=` is kept for simple integrations).
 */
export function proxyRoutes(ctx: AppContext): Router {
  const router = express.Router();
  const limiter = new RateLimiter(30, ctx.clock);
  const handle = async (req: express.Request, res: express.Response) => {
    const shopify = ctx.shopify;
    if (!shopify) return void res.status(503).json({ error: "SHOPIFY_API_SECRET is not set: app-proxy requests cannot be verified" });
    const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])) as Record<string, string>;
    if (!query.signature) return void res.status(401).json({ error: "missing app-proxy signature: this route is reached through the shop's /apps/ proxy" });
    let valid = false;
    try {
      valid = await shopify.utils.validateHmac(query, { signator: "appProxy" });
    } catch (err) {
      return void res.status(401).json({ error: `app-proxy signature refused: ${(err as Error).message}` });
    }
    if (!valid) return void res.status(401).json({ error: "app-proxy signature does not match" });
    const signed = signedQuerySchema.safeParse(query);
    if (!signed.success) return void res.status(400).json({ error: signed.error.issues[0]!.message });
    const shop = signed.data.shop;
    if (!limiter.take(`${req.ip}|${shop}`)) return void res.status(429).json({ error: "too many requests: try again in a minute" });
    const input = bodySchema.safeParse(req.method === "GET" ? { uuid: query.uuid } : req.body);
    if (!input.success) return void res.status(400).json({ error: input.error.issues[0]!.message });
    const { uuid, action } = input.data;
    const customerId = signed.data.logged_in_customer_id || null;
    if (action === "unlink") {
      const removed = await ctx.links.unlink(shop, uuid);
      return void res.json({ ok: true, unlinked: removed });
    }
    await ctx.links.link(shop, uuid, { customerId }, ctx.clock.now(), "proxy");
    ctx.log.info({ shop, linkedToCustomer: customerId !== null }, "JoinChat uuid linked");
    res.json({ ok: true, linked: customerId ? "customer" : "anonymous" });
  };
  router.get("/proxy/link", handle);
  router.post("/proxy/link", express.json({ limit: "4kb" }), handle);
  return router;
}
