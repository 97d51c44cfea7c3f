import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { Router, type Request, type RequestHandler, type Response } from "express";
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
 * The admin's sections as App Bridge's navigation menu addresses them (src/admin-ui/main.tsx):
 * App Bridge may load one into the frame afresh, so each serves the page.
 */
export const ADMIN_SECTION_PATHS = ["/settings", "/templates", "/deliveries", "/results", "/privacy"];

/** A build's asset names carry a hash of their content (scripts/build-admin.mjs): one name, one content, for good. */
const HASHED_ASSET = /-[A-Z0-9]{8}\.(js|css)$/;
const IMMUTABLE = "public, max-age=31536000, immutable";
const ASSET_TYPES: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

/** The encodings the build writes beside each asset, by their file extension, best first. */
const ENCODINGS = [
  { name: "br", ext: ".br" },
  { name: "gzip", ext: ".gz" },
] as const;

/**
 * The smallest encoding the client accepts and `has` offers; undefined for the identity. Ours is
 * the order: browsers list gzip before br at the same weight.
 */
function negotiate(req: Request, has: (ext: string) => boolean): (typeof ENCODINGS)[number] | undefined {
  return ENCODINGS.find((e) => req.acceptsEncodings(e.name) === e.name && has(e.ext));
}

/**
 * The built scripts and styles, each sent as the Brotli or gzip copy the build wrote beside it
 * when the browser accepts one (else as is), cached for a year: a new build has new names, and
 * the page that names them is never cached.
 */
function adminAssets(dir: string): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const name = req.path.slice(1);
    const type = ASSET_TYPES[path.extname(name)];
    // Names are the build's own: one path segment, no dot-files, no compressed copy asked for by name.
    if (!type || !/^[\w-]+\.(js|css)$/.test(name) || !fs.existsSync(path.join(dir, name))) return next();
    const encoding = negotiate(req, (ext) => fs.existsSync(path.join(dir, name + ext)));
    res.setHeader("Content-Type", type);
    res.setHeader("Vary", "Accept-Encoding");
    res.setHeader("Cache-Control", HASHED_ASSET.test(name) ? IMMUTABLE : "no-cache");
    if (encoding) res.setHeader("Content-Encoding", encoding.name);
    res.sendFile(name + (encoding?.ext ?? ""), { root: dir, cacheControl: false, etag: false, acceptRanges: false }, (err) => err && next(err));
  };
}

/** A small page compressed as it is sent, when the client accepts it. */
function sendCompressed(req: Request, res: Response, body: string): void {
  const encoding = negotiate(req, () => true);
  res.setHeader("Vary", "Accept-Encoding");
  if (!encoding) return void res.send(body);
  res.setHeader("Content-Encoding", encoding.name);
  res.send(encoding.name === "br" ? zlib.brotliCompressSync(body) : zlib.gzipSync(body));
}

/**
 * The admin page: the shell with the app's API key (App Bridge reads it when the page is embedded
 * in Shopify admin) and the built assets. The page itself holds no data: it calls the admin API
 * with a session token.
 */
export function adminPageRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/admin/assets", adminAssets(path.join(ADMIN_DIST, "assets")));
  // "/" is shopify.app.toml's application_url, where Shopify admin opens the app; "/admin" stays
  // the address of standalone logins (npm run cli -- admin:login).
  router.get(["/", "/admin", ...ADMIN_SECTION_PATHS], (req, res) => {
    const file = path.join(ADMIN_DIST, "index.html");
    if (!fs.existsSync(file)) return void res.status(503).type("text/plain").send("The admin is not built: run npm run build.");
    const shop = ctx.shopify?.utils.sanitizeShop(String(req.query.shop ?? ""), false);
    // Shopify admin frames the page: only it, and the shop's own admin, may.
    res.setHeader("Content-Security-Policy", `frame-ancestors https://admin.shopify.com${shop ? ` https://${shop}` : ""};`);
    // It names the current build's assets: asked again every time.
    res.setHeader("Cache-Control", "no-cache");
    const html = fs
      .readFileSync(file, "utf8")
      .replaceAll("%SHOPIFY_API_KEY%", ctx.config.SHOPIFY_API_KEY ?? "")
      .replace("<!--APP_BRIDGE-->", isEmbedded(req.query) ? APP_BRIDGE_TAG : "");
    res.type("html");
    sendCompressed(req, res, html);
  });
  return router;
}
