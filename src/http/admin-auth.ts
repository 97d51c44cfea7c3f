import type { NextFunction, Request, Response } from "express";
import type { AppContext } from "../context";
import { prepareShop } from "../shopify/admin-load";
import { STANDALONE_SUBJECT } from "../shopify/session-token";
import { EncryptionKeyError } from "../store/secrets";
import { isShopDomain } from "../shop-domain";

/** The shop an admin request acts for: taken from its verified session token, never from input. */
export interface AdminLocals {
  shop: string;
}

/**
 * Shopify's header on a 401 that a fresh session token may not get: App Bridge (and the admin
 * page, src/admin-ui/api.ts) then asks for a new token and sends the request once more.
 */
export const RETRY_INVALID_SESSION_HEADER = "X-Shopify-Retry-Invalid-Session-Request";

/**
 * Admin API guard: `Authorization: Bearer <session token>` verified by the library (signature
 * with the app's secret, audience, expiry); the shop comes from the token's `dest`. A token
 * issued before the shop uninstalled the app or was redacted is refused, however long it had
 * left (a standalone sign-in lasts hours). A token App Bridge issued (not a standalone login the
 * app signed itself, which Shopify would not exchange) also makes sure the shop has its offline
 * token (src/shopify/admin-load.ts).
 */
export function requireSessionToken(ctx: AppContext) {
  const shopify = ctx.shopify;
  return async (req: Request, res: Response<unknown, AdminLocals>, next: NextFunction): Promise<void> => {
    if (!shopify) return void res.status(503).json({ error: "the admin needs SHOPIFY_API_KEY and SHOPIFY_API_SECRET to be set" });
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token) return void res.status(401).json({ error: "a session token is required (Authorization: Bearer ...)" });
    let shop: string;
    let standalone: boolean;
    let issuedAt: number;
    try {
      const payload = await shopify.session.decodeSessionToken(token);
      shop = new URL(String(payload.dest)).hostname;
      standalone = payload.sub === STANDALONE_SUBJECT;
      issuedAt = Number(payload.iat);
    } catch {
      // The library's message quotes the token: not echoed. App Bridge's tokens last a minute.
      res.setHeader(RETRY_INVALID_SESSION_HEADER, "1");
      return void res.status(401).json({ error: "invalid or expired session token" });
    }
    if (!isShopDomain(shop)) return void res.status(401).json({ error: "session token names no shop" });
    const notBefore = await ctx.shops.adminTokensNotBefore(shop);
    // iat is in whole seconds: a token from the same second as the cutoff counts as before it.
    if (notBefore && !(issuedAt * 1000 > notBefore.getTime())) {
      // One App Bridge issues now, after a reinstall, passes.
      res.setHeader(RETRY_INVALID_SESSION_HEADER, "1");
      return void res.status(401).json({ error: "session token issued before the app was uninstalled: sign in again" });
    }
    if (!standalone) {
      try {
        await prepareShop(ctx, shop, token);
      } catch (err) {
        if (err instanceof EncryptionKeyError) return void res.status(503).json({ error: `the shop's access token cannot be stored: ${err.message}` });
        ctx.log.error({ shop, err: (err as Error).message, stack: (err as Error).stack }, "token exchange failed");
        return void res.status(502).json({ error: "Shopify did not give the app an access token for this shop: reload the app to try again" });
      }
    }
    res.locals.shop = shop;
    next();
  };
}
