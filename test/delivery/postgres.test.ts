import type { RunningApp } from "../../src/server";
import { JoinChatStandIn } from "../../src/standin/server";
import { startTestApp, testConfig, TEST_ENCRYPTION_KEY } from "../helpers/app";
import { describePostgres, freshPostgresUrl } from "../helpers/db";
import { JOINCHAT_SECRET, PAGE, SHOP, seedDeliveries, waitFor } from "../helpers/deliveries";
import { exited, startAppProcess } from "../helpers/processes";

describePostgres("delivery on PostgreSQL", () => {
  const standIn = new JoinChatStandIn({ [PAGE]: JOINCHAT_SECRET });
  let inspector: RunningApp;
  let url: string;
  beforeAll(async () => {
    await standIn.listen();
    url = await freshPostgresUrl();
    inspector = await startTestApp(testConfig({ DATABASE_URL: url, JOINCHAT_API_URL: standIn.url, ROLE: "web" }));
    await inspector.ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET });
  });
  afterAll(async () => {
    await inspector?.stop();
    await standIn.close();
  });

  it("3 worker processes and 300 due messages give exactly 300 sends", async () => {
    await seedDeliveries(inspector.ctx.db, 300, { recipients: 100 });
    standIn.set({ latencyMs: 2 });
    const env = { DATABASE_URL: url, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, JOINCHAT_API_URL: standIn.url, ROLE: "worker", JOINCHAT_RETRY_BASE_MS: "20" };
    const workers = [startAppProcess(env), startAppProcess(env), startAppProcess(env)];
    try {
      const sent = await waitFor(
        () => inspector.ctx.db.delivery.count({ where: { state: "sent" } }),
        (n) => n === 300,
        60_000,
      );
      expect(sent).toBe(300);
      expect(standIn.messages).toHaveLength(300);
      const texts = new Set(standIn.messages.map((m) => (m.body.message as { text: string }).text));
      expect(texts.size).toBe(300);
      // One recipient's messages went out in order even with three workers.
      for (const uuid of ["u-0", "u-57"]) {
        const n = standIn.messages.filter((m) => m.body.recipient.uuid === uuid).map((m) => Number((m.body.message as { text: string }).text.split(" ").pop()));
        expect(n).toEqual([...n].sort((a, b) => a - b));
      }
    } finally {
      for (const w of workers) w.kill("SIGTERM");
      await Promise.all(workers.map(exited));
    }
  });

  it("ingests, de-duplicates and processes webhooks on PostgreSQL as on SQLite", async () => {
    const { postWebhook, fixture } = await import("../helpers/webhooks");
    const app = await startTestApp(testConfig({ DATABASE_URL: url, JOINCHAT_API_URL: standIn.url, ROLE: "all" }), { background: false });
    try {
      const body = fixture("customers-create.json");
      for (let i = 0; i < 3; i++) await postWebhook(app.url!, body, { topic: "customers/data_request", eventId: "pg-evt-1", shop: SHOP });
      expect(await app.ctx.db.webhookEvent.count({ where: { eventKey: "pg-evt-1" } })).toBe(1);
      expect(await app.processor!.runOnce()).toBe(1);
      expect(await app.ctx.db.dataRequest.count()).toBe(1);
    } finally {
      await app.stop();
    }
  });
});
