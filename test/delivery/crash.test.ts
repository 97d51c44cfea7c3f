import type { Clock } from "../../src/clock";
import { DeliveryWorker } from "../../src/delivery/worker";
import { Metrics } from "../../src/metrics";
import type { RunningApp } from "../../src/server";
import { JoinChatStandIn } from "../../src/standin/server";
import { startHarness, startTestApp, testConfig, TEST_ENCRYPTION_KEY } from "../helpers/app";
import { JOINCHAT_SECRET, PAGE, SHOP, seedDeliveries, waitFor } from "../helpers/deliveries";
import { exited, startAppProcess } from "../helpers/processes";

describe("a worker killed with SIGKILL mid-send", () => {
  const standIn = new JoinChatStandIn({ [PAGE]: JOINCHAT_SECRET });
  let inspector: RunningApp;
  beforeAll(async () => {
    await standIn.listen();
  });
  afterAll(async () => {
    await inspector?.stop();
    await standIn.close();
  });

  it("loses nothing: after a restart every message is sent", async () => {
    const config = testConfig({ JOINCHAT_API_URL: standIn.url, ROLE: "web" });
    inspector = await startTestApp(config);
    const db = inspector.ctx.db;
    await inspector.ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET });
    await seedDeliveries(db, 20);
    // Every send hangs, so the worker is killed with rows in `sending`.
    standIn.set({ hangNext: 1000 });
    const env = {
      DATABASE_URL: config.DATABASE_URL,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      JOINCHAT_API_URL: standIn.url,
      ROLE: "worker",
      DELIVERY_LEASE_MS: "1500",
      JOINCHAT_TIMEOUT_MS: "700",
      JOINCHAT_RETRY_BASE_MS: "20",
    };
    const first = startAppProcess(env);
    const inFlight = await waitFor(
      () => db.delivery.count({ where: { state: "sending" } }),
      (n) => n > 0,
    );
    expect(inFlight).toBeGreaterThan(0);
    first.kill("SIGKILL");
    await exited(first);
    expect(standIn.messages).toHaveLength(0);

    standIn.set({ hangNext: 0 });
    const second = startAppProcess(env);
    try {
      const states = await waitFor(
        () => db.delivery.groupBy({ by: ["state"], _count: { _all: true } }),
        (g) => g.length === 1 && g[0]!.state === "sent",
        30_000,
      );
      expect(states).toEqual([{ state: "sent", _count: { _all: 20 } }]);
      const texts = new Set(standIn.messages.map((m) => (m.body.message as { text: string }).text));
      expect(texts.size).toBe(20);
      expect(standIn.messages).toHaveLength(20);
    } finally {
      second.kill("SIGTERM");
      await exited(second);
    }
  });
});

describe("a worker whose clock runs 120 s ahead", () => {
  it("takes over no row whose lease still holds: leases and due times go by the database's clock, nothing is sent twice", async () => {
    const h = await startHarness({ JOINCHAT_TIMEOUT_MS: "5000" });
    const ahead: Clock = { now: () => new Date(Date.now() + 120_000), claimTime: () => "database" };
    const skewed = new DeliveryWorker({ ...h.app.ctx, clock: ahead }, new Metrics());
    try {
      h.standIn.addPage(PAGE, JOINCHAT_SECRET);
      await h.app.ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET });
      // Slow answers keep the first worker's rows in flight, leased, while the skewed one claims.
      h.standIn.set({ latencyMs: 1_500 });
      await seedDeliveries(h.app.ctx.db, 200);
      h.app.worker!.poke();
      await waitFor(
        () => h.app.ctx.db.delivery.count({ where: { state: "sending" } }),
        (n) => n > 0,
      );
      skewed.start();
      const sent = await waitFor(
        () => h.app.ctx.db.delivery.count({ where: { state: "sent" } }),
        (n) => n === 200,
        60_000,
      );
      expect(sent).toBe(200);
      expect(new Set(h.standIn.messages.map((m) => m.raw)).size).toBe(200);
      expect(h.standIn.messages).toHaveLength(200);
      // Both worked: the skewed worker claimed rows, just none another held.
      const byWorker = await h.app.ctx.db.delivery.groupBy({ by: ["lockedBy"], _count: { _all: true } });
      expect(byWorker.map((g) => g.lockedBy).sort()).toEqual([h.app.worker!.workerId, skewed.workerId].sort());
    } finally {
      await skewed.stop();
      await h.close();
    }
  }, 90_000);
});
