import express, { type Router } from "express";
import { DeliveryMethod, type Shopify } from "@shopify/shopify-api";
import type { AppContext } from "../context";
import { AUTOMATION_TOPICS, LIFECYCLE_TOPICS } from "../events/topics";

const CALLBACK_PATH = "/auth/callback";

/** The topics registered through the Admin API on install (compliance topics live in shopify.app.toml). */
export const REGISTERED_TOPICS = [...AUTOMATION_TOPICS, ...LIFECYCLE_TOPICS];

/** "orders/create" -> "ORDERS_CREATE", the library's topic names. */
const libraryTopic = (topic: string) => topic.replace("/", "_").toUpperCase();

export function addWebhookHandlers(shopify: Shopify): void {
  shopify.webhooks.addHandlers(
    Object.fromEntries(REGISTERED_TOPICS.map((t) => [libraryTopic(t), { deliveryMethod: DeliveryMethod.Http, callbackUrl: "/webhooks" }])),
  );
}

/**
 * OAuth install: GET /auth?shop=... redirects to Shopify's grant screen; /auth/callback checks
 * Shopify's HMAC and the state cookie (the library does both), stores the offline session,
 * marks the shop installed and registers the webhooks.
 */
export function oauthRoutes(ctx: AppContext, shopify: Shopify): Router {
  const router = express.Router();
  router.get("/auth", async (req, res) => {
    const shop = shopify.utils.sanitizeShop(String(req.query.shop ?? ""));
    if (!shop) return void res.status(400).json({ error: "shop must be a *.myshopify.com domain" });
    await shopify.auth.begin({ shop, callbackPath: CALLBACK_PATH, isOnline: false, rawRequest: req, rawResponse: res });
  });
  router.get(CALLBACK_PATH, async (req, res) => {
    let session;
    try {
      ({ session } = await shopify.auth.callback({ rawRequest: req, rawResponse: res }));
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message }, "OAuth callback refused");
      return void res.status(400).json({ error: `install could not be completed: ${(err as Error).message}` });
    }
    await ctx.sessions.store(session);
    await ctx.shops.markInstalled(session.shop, ctx.clock.now());
    const log = ctx.log.child({ shop: session.shop });
    try {
      const result = await shopify.webhooks.register({ session });
      const failed = Object.entries(result).filter(([, rs]) => rs.some((r) => !r.success));
      if (failed.length) log.error({ topics: failed.map(([t]) => t) }, "some webhook subscriptions failed to register");
    } catch (err) {
      log.error({ err: (err as Error).message }, "webhook registration failed: deploy shopify.app.toml or reinstall");
    }
    log.info("app installed");
    res.redirect(`https://${session.shop}/admin/apps/${ctx.config.SHOPIFY_API_KEY}`);
  });
  return router;
}
