import crypto from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import autocannon from "autocannon";
import { Pool } from "undici";

const ROOT = path.resolve(__dirname, "..");
/** The Node flags `npm start` runs the app with (package.json, config.node_flags). */
const START_FLAGS: string[] = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).config.node_flags.split(/\s+/);
/** More flags for the app's processes only, to profile them (BENCH_APP_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"). */
const APP_FLAGS = (process.env.BENCH_APP_FLAGS ?? "").split(/\s+/).filter(Boolean);

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
    "x-shopify-api-version": "2026-10",
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

/** One request of a paced run: the headers and body of request number `i`. */
export type PacedRequest = (i: number) => { headers: Record<string, string>; body: string };

/** A paced run's requests: when each was due (performance.now() ms) and its acknowledgement latency (NaN: no 2xx). */
export interface PacedRun {
  due: number[];
  acked: number[];
  errors: number;
  non2xx: number;
}

/**
 * Open-loop load at an even pace: request i is due at start + i/rate, whether or not earlier ones
 * have been answered, and its latency counts from when it was due (so a stall shows in full, with
 * no coordinated omission). autocannon's rate mode is not used for this: it sends each
 * connection's quota for the second back to back at the start of every second, so "1,000/s" is a
 * burst at full speed followed by silence, and it corrects for omission against a 1 ms interval.
 */
export async function pacedRequests(url: string, path: string, next: PacedRequest, o: { connections: number; seconds: number; rate: number }): Promise<PacedRun> {
  const pool = new Pool(url, { connections: o.connections, pipelining: 1 });
  const run: PacedRun = { due: [], acked: [], errors: 0, non2xx: 0 };
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const total = Math.floor(o.seconds * o.rate);
  let sent = 0;
  const fire = (i: number, due: number) => {
    const { headers, body } = next(i);
    run.due[i] = due;
    run.acked[i] = NaN;
    const p = pool
      .request({ method: "POST", path, headers, body })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode < 200 || res.statusCode >= 300) run.non2xx++;
        else run.acked[i] = performance.now() - due;
      })
      .catch(() => void run.errors++)
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  // Every request of the run is sent: a late timer sends the ones that fell due meanwhile together.
  while (sent < total) {
    const now = performance.now();
    for (; sent < Math.min(total, Math.floor(((now - start) / 1000) * o.rate) + 1); sent++) fire(sent, start + (sent * 1000) / o.rate);
    // A 1 ms timer, not a spin: the generator shares the two cores with the app under test.
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  await pool.close();
  return run;
}

/** The value at quantile q of ascending-sorted numbers, rounded. */
export const quantile = (sorted: number[], q: number): number => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);

/** pacedRequests with one webhook request, each with its own event id: throughput and acknowledgement latency. */
export async function pacedLoad(url: string, request: ReturnType<typeof webhookRequest>, o: { connections: number; seconds: number; rate: number }): Promise<LoadResult> {
  const next = () => ({ headers: (request.setupRequest({ headers: request.headers }) as { headers: Record<string, string> }).headers, body: request.body });
  const run = await pacedRequests(url, request.path, next, o);
  const latencies = run.acked.filter((l) => !Number.isNaN(l)).sort((a, b) => a - b);
  return {
    rps: Math.round(latencies.length / o.seconds),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    errors: run.errors,
    non2xx: run.non2xx,
    total: run.due.length,
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
  /** The process's peak resident memory (VmHWM), in MB. */
  peakRssMb(): number;
  /** CPU time the process has used so far, all its threads, user and system, in µs. */
  cpuUs(): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** What startChild runs: the built app, the bare Express baseline, the plain `node:http` baseline. */
export type ChildKind = "app" | "bare" | "plain";
const SCRIPTS: Record<ChildKind, string> = { app: path.join(ROOT, "dist/main.js"), bare: path.join(__dirname, "bare-server.mjs"), plain: path.join(__dirname, "plain-server.mjs") };

/**
 * Starts the built app (`node <config.node_flags> dist/main.js`, what `npm start` runs) or a
 * baseline, each in its own process, and resolves once it is ready: the load generator never
 * shares its event loop. A worker (ROLE=worker) listens on no port: its `url` is then unused.
 */
export async function startChild(kind: ChildKind, env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const script = SCRIPTS[kind];
  const child = spawn(process.execPath, [...(kind === "app" ? [...START_FLAGS, ...APP_FLAGS] : []), script], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`${kind} exited with ${code}: ${out.slice(-500)}`)));
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (/listening|app started/.test(out)) resolve();
    });
  });
  child.removeAllListeners("exit");
  child.stdout!.resume();
  // A process that ends before it is stopped (a crash, or a signal from elsewhere on a shared
  // machine) is said at once, and fails the run where its figures are read, rather than hanging it.
  let stopping = false;
  let ended: string | null = null;
  child.once("exit", (code, signal) => {
    ended = `${kind} (pid ${child.pid}) exited with ${signal ?? code}`;
    if (!stopping) console.error(`${ended} before it was stopped`);
  });
  return {
    process: child,
    url: `http://127.0.0.1:${port}`,
    peakRssMb: () => {
      if (ended) throw new Error(`${ended} during the run`);
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    },
    cpuUs: () => {
      if (ended) throw new Error(`${ended} during the run`);
      // Fields 14 and 15 of /proc/<pid>/stat (after the command's closing parenthesis): utime and
      // stime in clock ticks, 100 a second on Linux.
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(fields[11]) + Number(fields[12])) * 10_000;
    },
    stop: () =>
      new Promise((r) => {
        stopping = true;
        if (ended) return r();
        child.once("exit", () => r());
        child.kill("SIGTERM");
      }),
  };
}
