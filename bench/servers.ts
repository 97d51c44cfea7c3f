// Child process for the benchmarks: runs either the app (`app`) or the bare baseline (`bare`) and
// tells the parent its port over IPC, then its peak RSS when asked. One process per server, so
// the load generator in the parent never shares an event loop with what it measures.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { loadConfig } from "../src/config/env";
import { createLogger } from "../src/log";
import { startApp } from "../src/server";

const kind = process.argv[2];
let peakRss = 0;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50).unref();

async function bare(secret: string): Promise<number> {
  // The baseline: what any webhook endpoint must do at the least, verify the HMAC and answer.
  const app = express();
  app.post("/webhooks", express.raw({ type: () => true, limit: "2mb" }), (req, res) => {
    const expected = crypto.createHmac("sha256", secret).update(req.body as Buffer).digest();
    const given = Buffer.from(req.get("x-shopify-hmac-sha256") ?? "", "base64");
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return void res.status(401).end();
    res.status(200).json({ ok: true });
  });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return (server.address() as AddressInfo).port;
}

async function main(): Promise<void> {
  const secret = process.env.SHOPIFY_API_SECRET!;
  let port: number;
  if (kind === "bare") port = await bare(secret);
  else {
    const app = await startApp(loadConfig({ ...process.env, PORT: "0", LOG_LEVEL: "silent" }), { log: createLogger("silent") });
    port = app.url ? Number(new URL(app.url).port) : 0; // ROLE=worker serves no HTTP
  }
  process.send!({ port });
  process.on("message", (m: { type: string }) => {
    if (m.type === "exit") process.exit(0);
    if (m.type === "rss") process.send!({ peakRssMb: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 1048576) });
  });
}

void main();
