import fs from "node:fs";
import path from "node:path";
import express, { Router } from "express";
import type { AppContext } from "../context";

/** Where `npm run build` writes the admin's page and bundle (the same from src/ and dist/). */
export const ADMIN_DIST = path.resolve(__dirname, "../../dist/admin");

/**
 * App Bridge as Shopify requires it of embedded apps: its CDN script, a plain tag in <head> (not
 * async, deferred or a module) after the shopify-api-key meta. Only when Shopify admin frames the
 * page (it adds `host` and `embedded=1`): a standalone login never waits on Shopify's CDN.
 */
export const APP_BRIDGE_TAG = `<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>`;
const isEmbedded = (q: Record<string, unknown>) => q.embedded === "1" || typeof q.host === "string";

/**
 * The admin page: the shell with the app's API key (App Bridge reads it when the page is embedded
 * in Shopify admin) and the built assets. The page itself holds no data: it calls the admin API
 * with a session token.
 */
export function adminPageRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/admin/assets", express.static(path.join(ADMIN_DIST, "assets"), { index: false, maxAge: "1h" }));
  // "/" is shopify.app.toml's application_url, where Shopify admin opens the app; "/admin" stays
  // the address of standalone logins (npm run cli -- admin:login).
  router.get(["/", "/admin"], (req, res) => {
    const file = path.join(ADMIN_DIST, "index.html");
    if (!fs.existsSync(file)) return void res.status(503).type("text/plain").send("The admin is not built: run npm run build.");
    const shop = ctx.shopify?.utils.sanitizeShop(String(req.query.shop ?? ""), false);
    // Shopify admin frames the page: only it, and the shop's own admin, may.
    res.setHeader("Content-Security-Policy", `frame-ancestors https://admin.shopify.com${shop ? ` https://${shop}` : ""};`);
    const html = fs
      .readFileSync(file, "utf8")
      .replaceAll("%SHOPIFY_API_KEY%", ctx.config.SHOPIFY_API_KEY ?? "")
      .replace("<!--APP_BRIDGE-->", isEmbedded(req.query) ? APP_BRIDGE_TAG : "");
    res.type("html").send(html);
  });
  return router;
}
