import express, { type Router } from "express";
import type { Shopify } from "@shopify/shopify-api";
import type { AppContext } from "../context";

const CALLBACK_PATH = "/auth/callback";

/**
 * The authorization-code install, kept only for installs outside Shopify admin and mounted only
 * with SHOPIFY_LEGACY_OAUTH=true: the app is installed by Shopify (managed installation) and gets
 * its token by token exchange (src/shopify/offline-tokens.ts). GET /auth?shop=... redirects to
 * Shopify's grant screen; /auth/callback checks Shopify's HMAC and the state cookie (the library
 * does both), stores an expiring offline token, sealed, and marks the shop installed. Webhooks
 * are app-specific (shopify.app.toml): none is registered here.
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
      ({ session } = await shopify.auth.callback({ rawRequest: req, rawResponse: res, expiring: true }));
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message }, "OAuth callback refused");
      return void res.status(400).json({ error: `install could not be completed: ${(err as Error).message}` });
    }
    await ctx.sessions.store(session);
    await ctx.shops.markInstalled(session.shop, ctx.clock.now());
    ctx.log.info({ shop: session.shop }, "app installed (authorization code)");
    res.redirect(`https://${session.shop}/admin/apps/${ctx.config.SHOPIFY_API_KEY}`);
  });
  return router;
}
