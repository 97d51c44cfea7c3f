import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { harnessPerTest, TEST_ENCRYPTION_KEY, TEST_SHOPIFY_SECRET } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { freshSqliteUrl } from "../helpers/db";
import { SHOP, seedDeliveries, waitFor } from "../helpers/deliveries";
import { exited, startAppProcess, waitUntilHealthy } from "../helpers/processes";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";
import { sqliteFileOf } from "../../src/config/database-url";

/** Another process that takes the SQLite file's write lock and keeps it until killed. */
async function holdWriteLock(file: string): Promise<ChildProcess> {
  const script = `const db = new (require("better-sqlite3"))(process.argv[1]); db.exec("BEGIN EXCLUSIVE"); console.log("locked"); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["-e", script, file], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return child;
}

async function timed(url: string): Promise<{ status: number; ms: number; body: Record<string, unknown> }> {
  const t = performance.now();
  const res = await fetch(url);
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, ms: performance.now() - t, body };
}

describe("GET /healthz", () => {
  let clock: TestClock;
  const h = harnessPerTest({}, () => ({ background: false, clock: (clock = new TestClock()) }), configureShop);
  const health = async () => {
    const res = await fetch(`${h.url}/healthz`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it("answers up, with the database, JoinChat and the backlog each told apart", async () => {
    expect(await health()).toEqual({
      status: 200,
      body: {
        ok: true,
        status: "up",
        database: "up",
        joinchat: { state: "ok", recentSends: 0, recentFailures: 0, failureRate: 0 },
        backlog: { state: "ok", oldestDueEventAgeSeconds: 0, oldestDueMessageAgeSeconds: 0, stuckEvents: { count: 0, oldestAgeSeconds: 0, ids: [] } },
        promotions: { pausedShops: 0 },
      },
    });
  });

  it("says JoinChat is failing when most recent sends failed, and /metrics says the same", async () => {
    h.standIn.set({ failNext: 100, failStatus: 503 });
    await seedDeliveries(h.app.ctx.db, 6, { runAt: new Date(clock.now().getTime() - 60_000) });
    await drain(h);
    const r = await health();
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("degraded");
    expect(r.body.joinchat).toEqual({ state: "failing", recentSends: 6, recentFailures: 6, failureRate: 1 });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain("joinchat_recent_send_failures 6");
  });

  it("says events and messages are backing up, with the oldest due item's age", async () => {
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await seedDeliveries(h.app.ctx.db, 1, { runAt: clock.now() });
    clock.advanceMinutes(10);
    const r = await health();
    expect(r.body.status).toBe("degraded");
    expect(r.body.backlog.state).toBe("backing up");
    expect(r.body.backlog.oldestDueEventAgeSeconds).toBeGreaterThanOrEqual(600);
    expect(r.body.backlog.oldestDueMessageAgeSeconds).toBeGreaterThanOrEqual(600);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/joinchat_oldest_due_message_age_seconds (6\d\d)/);
    await drain(h);
    expect((await health()).body.status).toBe("up");
  });

  it("says events are stuck, naming them, when claimed and not finished past the processor's lease, and /metrics says the same", async () => {
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    // A processor that claimed the event and never wrote its end.
    const [claimed] = await h.app.ctx.events.claim(10, "a-worker-that-died", clock.now(), h.app.ctx.config.DELIVERY_LEASE_MS);
    expect((await health()).body.status).toBe("up");
    clock.advanceMinutes(3);
    const r = await health();
    expect(r.body.status).toBe("degraded");
    expect(r.body.backlog.state).toBe("events stuck in processing");
    expect(r.body.backlog.stuckEvents).toEqual({ count: 1, oldestAgeSeconds: 180, ids: [claimed!.id] });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain("joinchat_stuck_events 1");
    expect(metrics).toContain("joinchat_oldest_stuck_event_age_seconds 180");
    await drain(h);
    expect((await health()).body.status).toBe("up");
  });

  it("answers 404 as JSON for an unknown route", async () => {
    const res = await fetch(`${h.url}/nowhere`);
    expect(res.status).toBe(404);
  });

  it("reports a database another process holds (cannot be written) as down within its deadline, and other answers stay fast meanwhile", async () => {
    const holder = await holdWriteLock(sqliteFileOf(h.app.ctx.config.DATABASE_URL));
    try {
      const health = timed(`${h.url}/healthz`);
      await new Promise((r) => setTimeout(r, 100));
      // While the probe waits for the lock, the event loop is free: a plain answer is not held up.
      const other = await timed(`${h.url}/nowhere`);
      const down = await health;
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ ok: false, database: "down" });
      expect(String(down.body.error)).toMatch(/locked|did not answer/);
      // The deadline is 1 s; the margin is for a loaded machine, not for a blocked event loop (10 s busy wait).
      expect(down.ms).toBeLessThan(2_500);
      expect(other.status).toBe(404);
      expect(other.ms).toBeLessThan(400);
    } finally {
      holder.kill();
    }
    await new Promise((r) => holder.once("exit", r));
    expect((await timed(`${h.url}/healthz`)).status).toBe(200);
  });
});

describe("GET /healthz on a full disk", () => {
  it("answers down once the disk is full, though the write lock is free", async () => {
    const url = freshSqliteUrl();
    // Room for the WAL to grow a quarter of a megabyte past the migrated file, then no more.
    const limitKb = Math.ceil(fs.statSync(sqliteFileOf(url)).size / 1024) + 256;
    const port = 20000 + Math.floor(Math.random() * 20000);
    const env = { DATABASE_URL: url, PORT: String(port), ROLE: "web", ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, SHOPIFY_API_SECRET: TEST_SHOPIFY_SECRET };
    const app = startAppProcess(env, { fileSizeLimitKb: limitKb });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntilHealthy(base);
      let status = 200;
      for (let i = 0; status === 200 && i < 200; i++) {
        const order = editFixture("orders-create.json", (o) => (o.id = 7200000000000 + i));
        status = (await postWebhook(base, order, { topic: "orders/create", shop: SHOP })).status;
      }
      expect(status).toBe(503);
      // A probe's one-page commit may still fit where the failed batch stopped; the next does not.
      const health = await waitFor(
        async () => {
          const res = await fetch(`${base}/healthz`);
          return { status: res.status, body: (await res.json()) as Record<string, unknown> };
        },
        (r) => r.status === 503,
        5_000,
      );
      expect(health).toMatchObject({ status: 503, body: { ok: false, status: "down", database: "down" } });
      expect(String(health.body.error)).toMatch(/disk I\/O error|disk is full/);
    } finally {
      app.kill("SIGTERM");
      await exited(app);
    }
  });
});
