// What a buyer waits for: the time from an order's webhook POST to JoinChat receiving its
// receipt, through the whole app (ingest, event processor, delivery worker) against the local
// JoinChat stand-in; and delivery against a bare loop that signs and POSTs the same bodies.
import crypto from "node:crypto";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { DEFAULT_WORKER_OPTIONS } from "../src/delivery/worker";
import { wireBody } from "../src/messages/wire";
import { JoinChatStandIn } from "../src/standin/server";
import { openDatabase } from "../src/store/db";
import { LinkStore } from "../src/store/links";
import { ShopStore } from "../src/store/shops";
import { pacedRequests, quantile, startChild, type Child } from "./load";
import { appEnv, CONNECTIONS, ENCRYPTION_KEY, JOINCHAT_SECRET, ORDER, PAGE, SECRET, SHOP } from "./setup";

/** The rate whose p50 and p99 are the headline figures (`receipt_p50_ms`, `receipt_p99_ms`). */
export const RECEIPT_HEADLINE_RATE = 200;
/**
 * Orders a second, climbed in turn until p99 is far over a second or receipts fall behind (200
 * always runs). BENCH_RECEIPT_RATES (e.g. "200,400") runs those steps instead, to profile them.
 */
export const RECEIPT_LADDER = process.env.BENCH_RECEIPT_RATES ? process.env.BENCH_RECEIPT_RATES.split(",").map(Number) : [50, 100, 200, 400, 500];
/** The p99 a rate must stay under to count as sustained. */
const SUSTAINED_P99_MS = 1000;
/** Climbing stops past this p99: well over the second, not a noisy miss. */
const FAR_OVER_MS = 2000;
const CUSTOMERS = 1000;
/** Waiting for the receipts of a step ends when none has arrived for this long. */
const STALL_MS = 20_000;
/** ... or at the latest this long after the last order was sent. */
const DRAIN_LIMIT_MS = 120_000;

const uuidOf = (customer: number) => `bench-visitor-${customer}`;
const customerIdOf = (customer: number) => String(9_100_000_000_000 + customer);

/**
 * Order number `i`, as Shopify would send it: its own id and name (#B<i>, which the receipt
 * carries as its order_number) and its own checkout (token and id: a checkout completes into one
 * order), one of the linked customers with their own email and phone, and that customer's uuid
 * as the storefront's `joinchat_uuid` cart attribute.
 */
function orderBody(i: number): string {
  const customer = i % CUSTOMERS;
  return ORDER.replaceAll("6198432301356", String(7_000_000_000_000 + i))
    .replaceAll("8658316394796", customerIdOf(customer))
    .replaceAll("71b7e0dc2452af022b31f8f6e702f1c8", `b${String(i).padStart(31, "0")}`)
    .replaceAll("38569595142444", String(38_000_000_000_000 + i))
    .replaceAll("alan@example.com", `bench-${customer}@example.com`)
    .replaceAll("+85200000000", `+8526${String(customer).padStart(7, "0")}`)
    .replace(`"name": "#1054"`, `"name": "#B${i}"`)
    .replace(`"note_attributes": []`, `"note_attributes": [{"name": "joinchat_uuid", "value": "${uuidOf(customer)}"}]`);
}

const ORDER_NUMBER = /"order_number"\s*:\s*"#B(\d+)"/;

function orderRequest(i: number, run: string): { headers: Record<string, string>; body: string } {
  const body = orderBody(i);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-hmac-sha256": crypto.createHmac("sha256", SECRET).update(body).digest("base64"),
      "x-shopify-api-version": "2026-10",
      "x-shopify-event-id": `receipt-${run}-${i}`,
      "x-shopify-webhook-id": `wh-receipt-${run}-${i}`,
    },
  };
}

/** The bench shop with its JoinChat page, and CUSTOMERS customers linked just now (their 24-hour windows open). */
async function seedShopAndLinks(databaseUrl: string): Promise<void> {
  const database = await openDatabase(databaseUrl);
  try {
    await new ShopStore(database.db, ENCRYPTION_KEY).upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET });
    const links = new LinkStore(database);
    const now = new Date();
    for (let c = 0; c < CUSTOMERS; c += 100)
      await Promise.all(Array.from({ length: Math.min(100, CUSTOMERS - c) }, (_, k) => links.link(SHOP, uuidOf(c + k), { customerId: customerIdOf(c + k) }, now, "cli")));
  } finally {
    await database.close();
  }
}

export interface ReceiptStep {
  rate: number;
  /** Orders POSTed, and acknowledged with a 2xx. */
  sent: number;
  acked: number;
  /** Receipts JoinChat received for them, and how many of those carried a tag (none should: the windows are open). */
  received: number;
  tagged: number;
  /** Receipts JoinChat received a second time (none should). */
  duplicates: number;
  p50_ms: number | null;
  p99_ms: number | null;
  /** Acknowledgement latency of the webhooks, for comparison. */
  ack_p99_ms: number | null;
  /**
   * The app's CPU time (every process, every thread) per receipt received, from the first order
   * of the step to its last receipt: what the whole path costs, a figure other load on a shared
   * machine moves far less than the latencies.
   */
  cpu_ms_per_receipt: number | null;
  /**
   * PostgreSQL only (null on SQLite), from pg_stat_database over the same span: the server's time
   * executing the app's statements, its commits and its buffer reads, per receipt. The app's CPU
   * above leaves the database server out; the buffer reads do not depend on the machine's load.
   */
  db_ms_per_receipt: number | null;
  db_commits_per_receipt: number | null;
  db_buffers_per_receipt: number | null;
}

/** The database server's counters for the app's database (PostgreSQL), which a step reads before and after. */
interface DbCounters {
  activeMs: number;
  commits: number;
  buffers: number;
}

async function pgCounters(databaseUrl: string): Promise<(() => Promise<DbCounters>) & { close(): Promise<void> }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const read = async () => {
    // The statistics a backend collects reach the view when it next idles: a moment's wait lets them.
    await new Promise((r) => setTimeout(r, 1200));
    await client.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await client.query<{ active: string; commits: string; buffers: string }>(
      `SELECT active_time AS active, xact_commit AS commits, blks_hit + blks_read AS buffers FROM pg_stat_database WHERE datname = current_database()`,
    );
    return { activeMs: Number(rows[0]!.active), commits: Number(rows[0]!.commits), buffers: Number(rows[0]!.buffers) };
  };
  return Object.assign(read, { close: () => client.end() });
}

export interface ReceiptLadder {
  steps: ReceiptStep[];
  /** The highest rate whose receipts all arrived with p99 under a second; null: not even the lowest. */
  maxRate: number | null;
  headline: ReceiptStep | null;
  peakRssMb: number;
}

/**
 * Orders paced evenly at `rate` for `seconds`, then a wait for their receipts. Each order's
 * latency counts from when its POST was due (an open loop: a stall counts in full) to when the
 * stand-in recorded the receipt naming it.
 */
async function receiptStep(
  url: string,
  standIn: JoinChatStandIn,
  first: number,
  rate: number,
  seconds: number,
  run: string,
  cpuMs: () => number,
  db: (() => Promise<DbCounters>) | null,
): Promise<ReceiptStep> {
  const seen = standIn.messages.length;
  const dbAtStart = await db?.();
  const cpuAtStart = cpuMs();
  const paced = await pacedRequests(url, "/webhooks", (i) => orderRequest(first + i, run), { connections: CONNECTIONS, seconds, rate });
  const sent = paced.due.length;
  const acked = paced.acked.filter((l) => !Number.isNaN(l)).length;
  const sentAt = performance.now();
  let lastCount = -1;
  let lastProgress = sentAt;
  for (;;) {
    const count = standIn.messages.length - seen;
    if (count !== lastCount) [lastCount, lastProgress] = [count, performance.now()];
    if (count >= acked || performance.now() - lastProgress > STALL_MS || performance.now() - sentAt > DRAIN_LIMIT_MS) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const cpu = cpuMs() - cpuAtStart;
  const dbAtEnd = await db?.();
  const latencies: number[] = [];
  const arrived = new Set<number>();
  let tagged = 0;
  let duplicates = 0;
  for (const m of standIn.messages.slice(seen)) {
    const i = Number(ORDER_NUMBER.exec(m.raw)?.[1] ?? NaN) - first;
    if (!(i >= 0 && i < sent)) continue;
    if (arrived.has(i)) {
      duplicates++;
      continue;
    }
    arrived.add(i);
    latencies.push(m.at - (performance.timeOrigin + paced.due[i]!));
    if (m.body.tag !== undefined) tagged++;
  }
  // A receipt that never came counts as late as the wait so far: the step's p99 is then a lower bound.
  const now = performance.now();
  const all = [...latencies];
  for (let i = 0; i < sent; i++) if (!arrived.has(i)) all.push(now - paced.due[i]!);
  all.sort((a, b) => a - b);
  const acks = paced.acked.filter((l) => !Number.isNaN(l)).sort((a, b) => a - b);
  return {
    rate,
    sent,
    acked,
    received: latencies.length,
    tagged,
    duplicates,
    p50_ms: all.length ? quantile(all, 0.5) : null,
    p99_ms: all.length ? quantile(all, 0.99) : null,
    ack_p99_ms: acks.length ? quantile(acks, 0.99) : null,
    cpu_ms_per_receipt: latencies.length ? Math.round((cpu / latencies.length) * 100) / 100 : null,
    ...dbPerReceipt(dbAtStart, dbAtEnd, latencies.length),
  };
}

function dbPerReceipt(
  start: DbCounters | undefined,
  end: DbCounters | undefined,
  receipts: number,
): Pick<ReceiptStep, "db_ms_per_receipt" | "db_commits_per_receipt" | "db_buffers_per_receipt"> {
  if (!start || !end || receipts === 0) return { db_ms_per_receipt: null, db_commits_per_receipt: null, db_buffers_per_receipt: null };
  const per = (k: keyof DbCounters, digits: number) => Math.round(((end[k] - start[k]) / receipts) * 10 ** digits) / 10 ** digits;
  return { db_ms_per_receipt: per("activeMs", 2), db_commits_per_receipt: per("commits", 1), db_buffers_per_receipt: per("buffers", 0) };
}

/**
 * The receipt ladder on one database: the shop and its 1,000 linked customers seeded, the app
 * started as `roles` says (one process per role; the first serves the webhooks), a short
 * warm-up, then RECEIPT_LADDER in turn. Each step waits for its receipts, so the next starts
 * with no backlog.
 */
export async function receiptLadder(databaseUrl: string, roles: string[], seconds: number, log: (line: string) => void): Promise<ReceiptLadder> {
  await seedShopAndLinks(databaseUrl);
  const standIn = new JoinChatStandIn({ [PAGE]: JOINCHAT_SECRET });
  const apiUrl = await standIn.listen();
  const children: Child[] = [];
  const run = `${process.pid}-${Date.now()}`;
  const db = databaseUrl.startsWith("postgres") ? await pgCounters(databaseUrl) : null;
  try {
    for (const role of roles) children.push(await startChild("app", { ...appEnv(databaseUrl, role), JOINCHAT_API_URL: apiUrl }));
    const url = children[0]!.url;
    let next = 0;
    const step = async (rate: number, s: number) => {
      const r = await receiptStep(url, standIn, next, rate, s, run, () => children.reduce((sum, c) => sum + c.cpuUs() / 1000, 0), db);
      next += r.sent;
      return r;
    };
    await step(20, 2); // warm-up: connections, JIT, the first claims
    const steps: ReceiptStep[] = [];
    let climbing = true;
    for (const rate of RECEIPT_LADDER) {
      if (!climbing && rate > RECEIPT_HEADLINE_RATE) break;
      if (!climbing && rate !== RECEIPT_HEADLINE_RATE) continue;
      const r = await step(rate, seconds);
      steps.push(r);
      const behind = r.received < r.sent;
      log(
        `   ${String(rate).padStart(3)} orders/s: p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms${behind ? " (at least: receipts missing)" : ""}; ${r.received} of ${r.sent} receipts received (${r.acked} acknowledged, ${r.tagged} tagged, ${r.duplicates} twice); webhook ack p99 ${r.ack_p99_ms} ms; app CPU ${r.cpu_ms_per_receipt} ms a receipt${
          r.db_ms_per_receipt === null ? "" : `; PostgreSQL ${r.db_ms_per_receipt} ms active, ${r.db_commits_per_receipt} commits, ${r.db_buffers_per_receipt} buffers a receipt`
        }`,
      );
      if (behind || (r.p99_ms ?? Infinity) > FAR_OVER_MS) climbing = false;
    }
    const ok = steps.filter((r) => r.received === r.sent && r.tagged === 0 && r.duplicates === 0 && (r.p99_ms ?? Infinity) < SUSTAINED_P99_MS);
    return {
      steps,
      maxRate: ok.length ? Math.max(...ok.map((r) => r.rate)) : null,
      headline: steps.find((r) => r.rate === RECEIPT_HEADLINE_RATE) ?? null,
      peakRssMb: Math.max(...children.map((c) => c.peakRssMb())),
    };
  } finally {
    for (const child of children) await child.stop();
    await standIn.close();
    await db?.close();
  }
}

/**
 * The delivery baseline: bench/bare-delivery.mjs, in its own process like the worker, signs and
 * POSTs the bodies the worker would send for `n` seeded manual messages (the same wireBody
 * bytes) to a fresh stand-in, as many at a time as the worker sends to one shop. Timed like the
 * worker's run, from the first message JoinChat received to the last.
 */
export async function bareDeliveryRun(n: number): Promise<{ messagesPerSecond: number; sent: number; seconds: number }> {
  const bodies = Array.from(
    { length: n },
    (_, i) => wireBody({ page_id: PAGE, recipient: { uuid: `u-${i}` }, message: { template_type: "text", text: `Benchmark message ${i}` } }).text,
  );
  const file = path.join(os.tmpdir(), `joinchat-bench-bodies-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(bodies));
  const standIn = new JoinChatStandIn({ [PAGE]: JOINCHAT_SECRET });
  const apiUrl = await standIn.listen();
  try {
    const child = spawn(process.execPath, [path.join(__dirname, "bare-delivery.mjs")], {
      env: { ...process.env, BODIES: file, JOINCHAT_SECRET, JOINCHAT_API_URL: apiUrl, CONCURRENCY: String(DEFAULT_WORKER_OPTIONS.perShop) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.once("exit", r));
    if (code !== 0) throw new Error(`bare delivery loop exited with ${code}: ${out}`);
    const sent = standIn.messages.length;
    const seconds = Math.max(0.001, (standIn.messages.at(-1)!.at - standIn.messages[0]!.at) / 1000);
    return { messagesPerSecond: Math.round(sent / seconds), sent, seconds: Math.round(seconds * 10) / 10 };
  } finally {
    await standIn.close();
    fs.rmSync(file, { force: true });
  }
}
