import fs from "node:fs";
import path from "node:path";
import express, { type Router } from "express";

/** GET /storefront/joinchat.js: the storefront script the theme app extension loads. */
export function storefrontRoutes(): Router {
  const router = express.Router();
  const script = fs.readFileSync(path.join(__dirname, "../storefront/joinchat.js"));
  router.get("/storefront/joinchat.js", (_req, res) => {
    res.set({ "content-type": "application/javascript; charset=utf-8", "cache-control": "public, max-age=300", "access-control-allow-origin": "*" });
    res.send(script);
  });
  return router;
}
