// The benchmark's plain baseline, the runtime's own limit: Node's `http` server alone, reading
// the raw body, checking Shopify's HMAC over those bytes and answering 200. No framework, no
// storage: what any webhook endpoint on this runtime must do at the least.
import crypto from "node:crypto";
import http from "node:http";

const secret = process.env.SHOPIFY_API_SECRET;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const expected = crypto.createHmac("sha256", secret).update(Buffer.concat(chunks)).digest();
    const given = Buffer.from(req.headers["x-shopify-hmac-sha256"] ?? "", "base64");
    const ok = req.method === "POST" && req.url === "/webhooks" && given.length === expected.length && crypto.timingSafeEqual(given, expected);
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(ok ? '{"ok":true}' : "");
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
