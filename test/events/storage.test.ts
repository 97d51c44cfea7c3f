import type { RunningApp } from "../../src/server";
import { openDatabase } from "../../src/store/db";
import { startTestApp, testConfig } from "../helpers/app";
import { freshPostgresUrl, freshSqliteUrl, hasPostgres } from "../helpers/db";
import { SHOP } from "../helpers/deliveries";
import { fixture, postWebhook } from "../helpers/webhooks";

/**
 * Stored webhooks on both databases: every event has exactly its own payload, a repeat stores
 * nothing (not even a stray payload), and the processor reads each payload back whole.
 */
const providers: [string, () => Promise<string>][] = [["SQLite", async () => freshSqliteUrl()]];
if (hasPostgres) providers.push(["PostgreSQL", freshPostgresUrl]);

describe.each(providers)("webhook storage on %s", (_name, databaseUrl) => {
  let app: RunningApp;
  beforeEach(async () => {
    app = await startTestApp(testConfig({ DATABASE_URL: await databaseUrl() }), { background: false });
  });
  afterEach(() => app.stop());

  it("stores each event once with its own payload, repeats included, and hands the payload back whole", async () => {
    // Pretty-printed fixtures, a compact one, and non-ASCII text, byte for byte.
    const bodies = [...["orders-create.json", "orders-create-2.json", "checkouts-create.json"].map(fixture), JSON.stringify({ note: "測試 é 😀", id: "1" })];
    const posts = [
      ...bodies.map((b, i) => postWebhook(app.url!, b, { topic: "orders/create", eventId: `e-${i}` })),
      // The same events again, in the same burst (one batch) and after.
      ...bodies.map((b, i) => postWebhook(app.url!, b, { topic: "orders/create", eventId: `e-${i}` })),
    ];
    expect((await Promise.all(posts)).map((r) => r.status)).toEqual(new Array(8).fill(200));
    await postWebhook(app.url!, bodies[0]!, { topic: "orders/create", eventId: "e-0" });

    const events = await app.ctx.db.webhookEvent.findMany({ orderBy: { eventKey: "asc" } });
    expect(events.map((e) => e.eventKey)).toEqual(["e-0", "e-1", "e-2", "e-3"]);
    const payloads = await app.ctx.db.webhookPayload.findMany();
    expect(payloads.map((p) => p.eventId).sort()).toEqual(events.map((e) => e.id).sort());
    const byId = new Map(payloads.map((p) => [p.eventId, p.payload]));
    expect(events.map((e) => byId.get(e.id))).toEqual(bodies);

    const claimed = await app.ctx.events.claim(10, "test", new Date(), 60_000);
    expect(new Map(claimed.map((c) => [c.eventKey, c.payload]))).toEqual(new Map(bodies.map((b, i) => [`e-${i}`, b])));
    expect(claimed.every((c) => c.shopDomain === SHOP && c.attempts === 1)).toBe(true);
  });

  it("refuses a body that is not a JSON object with 400 and stores nothing of it, beside good ones in the same batch", async () => {
    // The last is a JSON object in all but its bytes: a UTF-16 surrogate encoded as UTF-8.
    const bad = ["{not json", "[1, 2]", "null", '"text"', '{"a": 1', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])];
    const posts = [
      ...bad.map((b, i) => postWebhook(app.url!, b, { topic: "orders/create", eventId: `bad-${i}` })),
      postWebhook(app.url!, fixture("orders-create.json"), { topic: "orders/create", eventId: "good" }),
      postWebhook(app.url!, "{not json", { topic: "orders/create", eventId: "bad-0" }),
    ];
    const answers = await Promise.all(posts);
    expect(answers.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400, 200, 400]);
    expect(await answers[0]!.json()).toEqual({ error: "body is not a JSON object" });
    expect((await app.ctx.db.webhookEvent.findMany()).map((e) => e.eventKey)).toEqual(["good"]);
    expect(await app.ctx.db.webhookPayload.count()).toBe(1);
    // The same event id may come again with a good body, and is stored then.
    expect((await postWebhook(app.url!, fixture("orders-create.json"), { topic: "orders/create", eventId: "bad-0" })).status).toBe(200);
    expect(await app.ctx.db.webhookEvent.count()).toBe(2);
  });
});

describe("webhook storage on SQLite, durability", () => {
  it("syncs the commit of every webhook batch to disk, so an acknowledged webhook survives a power cut, and the app's other writes at checkpoints", async () => {
    const database = await openDatabase(freshSqliteUrl());
    try {
      // What the connection's synchronous setting is inside a batch, written by the batch itself.
      // 2 is FULL (the WAL is synced at each commit); NORMAL (1) syncs only at checkpoints.
      const during = `INSERT INTO "WebhookPayload" ("eventId", "payload") SELECT ?, CAST(synchronous AS TEXT) FROM pragma_synchronous`;
      await database.writePairs!(during, "SELECT 1", [[["probe-event"], []]]);
      expect(await database.write(`SELECT "payload" FROM "WebhookPayload" WHERE "eventId" = 'probe-event'`, [])).toEqual([{ payload: "2" }]);
      expect(await database.write("PRAGMA synchronous", [])).toEqual([{ synchronous: 1 }]);
    } finally {
      await database.close();
    }
  });
});
