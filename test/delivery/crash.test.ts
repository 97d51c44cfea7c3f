import type { RunningApp } from "../../src/server";
import { JoinChatStandIn } from "../../src/standin/server";
import { startTestApp, testConfig, TEST_ENCRYPTION_KEY } from "../helpers/app";
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
      JOINCHAT_TIMEOUT_MS: "20000",
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
