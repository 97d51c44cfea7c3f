import crypto from "node:crypto";
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

/** Signed webhook requests: one body, its HMAC, and a fresh X-Shopify-Event-Id on every request. */
export function webhookRequest(body: string, secret: string, shop: string) {
  const hmac = crypto.createHmac("sha256", secret).update(body).digest("base64");
  const headers = {
    "content-type": "application/json",
    "x-shopify-topic": "orders/create",
    "x-shopify-shop-domain": shop,
    "x-shopify-hmac-sha256": hmac,
    "x-shopify-api-version": "2025-10",
  };
  let n = 0;
  const run = `${process.pid}-${Date.now()}`;
  return {
    method: "POST" as const,
    path: "/webhooks",
    body,
    headers,
    // The HMAC covers the body only, so a new event id per request needs no new signature.
    setupRequest: (req: Record<string, unknown>) => ({ ...req, headers: { ...headers, "x-shopify-event-id": `bench-${run}-${++n}`, "x-shopify-webhook-id": `wh-${run}-${n}` } }),
  };
}

export async function load(url: string, request: ReturnType<typeof webhookRequest>, o: { connections: number; seconds: number; rate?: number }): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: o.connections,
    duration: o.seconds,
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [request as never],
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

export interface Child {
  process: ChildProcess;
  url: string;
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts bench/servers.ts as `kind` in a child process with `env`; resolves once it listens. */
export function startChild(kind: "app" | "bare", env: Record<string, string>): Promise<Child> {
  const child = fork(path.join(__dirname, "servers.ts"), [kind], { env: { ...process.env, ...env }, execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.once("message", (m: { port: number }) => {
      child.removeAllListeners("exit");
      resolve({
        process: child,
        url: `http://127.0.0.1:${m.port}`,
        peakRssMb: () =>
          new Promise((r) => {
            child.once("message", (x: { peakRssMb: number }) => r(x.peakRssMb));
            child.send({ type: "rss" });
          }),
        stop: () =>
          new Promise((r) => {
            child.once("exit", () => r());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
