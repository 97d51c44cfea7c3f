import express, { type Router } from "express";
import { InvalidHmacError, type Shopify } from "@shopify/shopify-api";
import { z } from "zod";
import type { AppContext } from "../context";
import { joinchatUuidSchema } from "../recipients/uuid";
import { removeSubscriber } from "../recipients/subscribers";
import { RateLimiter } from "./rate-limit";
import { RequestError } from "../errors";
import { shopDomainSchema } from "../shop-domain";

/**
 * How long a signed query stays bound to its first uuid (src/store/proxy-bindings.ts): the library
 * accepts a `timestamp` up to 90 s from now either way, so a query signed at t is usable until
 * t + 90 s; kept a little longer.
 */
const BINDING_MS = 120_000;

/** Link calls allowed per client IP and shop per minute: a visitor clicks once; a script looping does not get far. */
export const PROXY_LINKS_PER_MINUTE = 30;

/**
 * The storefront page a click came from (the script sends location.pathname): a path, kept without
 * its query; anything else is dropped rather than refusing the click.
 */
const optInPageSchema = z
  .string()
  .regex(/^\/[^\s?#]{0,300}$/)
  .optional()
  .catch(undefined);
const bodySchema = z.object({ uuid: joinchatUuidSchema, action: z.enum(["link", "unlink"]).default("link"), page: optInPageSchema });

/** The parameters Shopify adds to every proxied request, and signs. */
const signedQuerySchema = z.object({
  shop: shopDomainSchema({ invalid: "shop is not a myshopify.com domain" }),
  // Shopify always sends one, so a request without it did not come from Shopify's proxy. Since
  // @shopify/shopify-api 15 the library refuses it first (401, "HMAC timestamp is missing or
  // invalid"); 13 let it through its age check (it compared NaN), so this stays as a backstop.
  timestamp: z.string({ message: "timestamp is missing" }).regex(/^\d+$/, { message: "timestamp is not a number of seconds" }),
  logged_in_customer_id: z.string().regex(/^\d*$/, { message: "logged_in_customer_id is not a customer id" }).optional(),
});

type RawQuery = Record<string, string | string[]>;

/** Express's parsed query as the library reads it: repeated keys stay arrays (it joins them with ","). */
function rawQueryOf(req: express.Request): RawQuery {
  return Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
}

/** A request that did not come from Shopify's app proxy: the answer's status and reason. */
const proxyAuthError = (status: 400 | 401, message: string) => new RequestError(status, message);

/**
 * Checks Shopify's app-proxy `signature` through the library (`validateHmac`, signator
 * "appProxy": HMAC-SHA256 hex of the sorted parameters with the app secret, compared in constant
 * time). The library also refuses a `timestamp` more than 90 seconds from now either way, a
 * missing or non-integer one, and a repeated `shop` or `timestamp` (@shopify/shopify-api 15's
 * hmac-validator), so a replayed or two-day-old request fails here and no max-age check of our own
 * is needed. Returns the signed parameters.
 */
async function verifyProxyQuery(shopify: Shopify, query: RawQuery): Promise<z.infer<typeof signedQuerySchema>> {
  if (!query.signature) throw proxyAuthError(401, "missing app-proxy signature: this route is reached through the shop's /apps/ proxy");
  if (Array.isArray(query.signature)) throw proxyAuthError(401, "app-proxy signature given more than once: Shopify's proxy sends one");
  let valid: boolean;
  try {
    // AuthQuery is typed as strings; at run time the library takes arrays as Shopify signs them.
    valid = await shopify.utils.validateHmac(query as Record<string, string>, { signator: "appProxy" });
  } catch (err) {
    if (err instanceof InvalidHmacError) throw proxyAuthError(401, `app-proxy signature refused: ${err.message}`);
    throw err;
  }
  if (!valid) throw proxyAuthError(401, "app-proxy signature does not match: was it signed with this app's SHOPIFY_API_SECRET?");
  const signed = signedQuerySchema.safeParse(query);
  if (!signed.success) throw proxyAuthError(400, signed.error.issues[0]!.message);
  return signed.data;
}

/**
 * The Shopify App Proxy target: `/apps/<subpath>/link` on the shop reaches `/proxy/link` here.
 * The storefront script reports the uuid JoinChat's SDK handed to `joinchatSendToMessengerCallback`
 * (in the POST body, so it never lands in a URL or a log of one; `GET ?uuid=` is kept for simple
 * integrations). The shop and the customer come only from the signed query: a logged-in customer
 * gets the link, anyone else an anonymous one that a later event attaches. Answers JSON, which
 * Shopify passes through to the browser unrendered.
 */
export function proxyRoutes(ctx: AppContext): Router {
  const router = express.Router();
  const limiter = new RateLimiter(PROXY_LINKS_PER_MINUTE, ctx.clock);
  /** The request's signed parameters, or null once it has been answered as not from Shopify's proxy. */
  const verified = async (req: express.Request, res: express.Response): Promise<z.infer<typeof signedQuerySchema> | null> => {
    if (!ctx.shopify) {
      res.status(503).json({ error: "SHOPIFY_API_SECRET is not set: app-proxy requests cannot be verified" });
      return null;
    }
    try {
      return await verifyProxyQuery(ctx.shopify, rawQueryOf(req));
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      res.status(err.status).json({ error: err.message });
      return null;
    }
  };
  const handle = async (req: express.Request, res: express.Response) => {
    const signed = await verified(req, res);
    if (!signed) return;
    const query = rawQueryOf(req);
    const shop = signed.shop;
    // req.ip is the visitor's address as the TRUST_PROXY proxies in front report it (app.ts):
    // X-Forwarded-For entries a client wrote itself are never read, so rotating them escapes
    // nothing. Keyed by shop too, so one busy shop cannot use up another's allowance.
    if (!limiter.take(`${req.ip}|${shop}`)) return void res.status(429).json({ error: "too many requests: try again in a minute" });
    const input = bodySchema.safeParse(req.method === "GET" ? { uuid: query.uuid } : req.body);
    if (!input.success) return void res.status(400).json({ error: input.error.issues[0]!.message });
    const { uuid, action, page } = input.data;
    // Only a logged-in query is worth taking: an anonymous one names no one (and every anonymous
    // visitor of a shop clicking in the same second gets the same signature).
    const boundUntil = new Date(Number(signed.timestamp) * 1000 + BINDING_MS);
    if (signed.logged_in_customer_id && !(await ctx.proxyBindings.bind(String(query.signature), uuid, boundUntil, ctx.clock.now()))) {
      return void res.status(401).json({ error: "this signed request was already used for another uuid" });
    }
    const customerId = signed.logged_in_customer_id || null;
    const log = ctx.log.child({ shop });
    if (action === "unlink") {
      // Holding the uuid (JoinChat's cookie on this browser) is what entitles a visitor to it.
      const removed = await removeSubscriber(ctx, shop, uuid, "visitor");
      return void res.json({ ok: true, unlinked: removed });
    }
    await ctx.links.link(shop, uuid, { customerId }, ctx.clock.now(), "proxy", page ?? null);
    log.info({ linkedToCustomer: customerId !== null }, "JoinChat uuid linked");
    res.json({ ok: true, linked: customerId ? "customer" : "anonymous" });
  };
  // What the storefront script needs of the shop's settings: the JoinChat SDK URL set in the admin.
  // Read on page views (cached by the script for a while): not rate-limited like links.
  router.get("/proxy/config", async (req, res) => {
    const signed = await verified(req, res);
    if (!signed) return;
    const shop = await ctx.shops.find(signed.shop);
    res.setHeader("cache-control", "public, max-age=300");
    res.json({ sdkUrl: shop?.uninstalledAt ? null : (shop?.settings.sdkUrl ?? null) });
  });
  router.get("/proxy/link", handle);
  router.post("/proxy/link", express.json({ limit: "4kb" }), handle);
  return router;
}
