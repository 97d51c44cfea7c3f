// The benchmark's baseline: what any webhook endpoint must do at the least, verify Shopify's HMAC
// over the raw body and answer. Plain JavaScript, run by node directly, like the built app.
import crypto from "node:crypto";
import http from "node:http";
import express from "express";

const secret = process.env.SHOPIFY_API_SECRET;
const app = express();
app.post("/webhooks", express.raw({ type: () => true, limit: "2mb" }), (req, res) => {
  const expected = crypto.createHmac("sha256", secret).update(req.body).digest();
  const given = Buffer.from(req.get("x-shopify-hmac-sha256") ?? "", "base64");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return void res.status(401).end();
  res.status(200).json({ ok: true });
});
const server = http.createServer(app);
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
