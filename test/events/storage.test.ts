import { createLogger } from "../../src/log";
import { startApp, type RunningApp } from "../../src/server";
import { testConfig } from "../helpers/app";
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
    app = await startApp(testConfig({ DATABASE_URL: await databaseUrl() }), { log: createLogger("silent"), background: false });
  });
  afterEach(() => app.stop());

  it("stores each event once with its own payload, repeats included, and hands the payload back whole", async () => {
    const bodies = ["orders-create.json", "orders-create-2.json", "checkouts-create.json"].map(fixture);
    const posts = [
      ...bodies.map((b, i) => postWebhook(app.url!, b, { topic: "orders/create", eventId: `e-${i}` })),
      // The same events again, in the same burst (one batch) and after.
      ...bodies.map((b, i) => postWebhook(app.url!, b, { topic: "orders/create", eventId: `e-${i}` })),
    ];
    expect((await Promise.all(posts)).map((r) => r.status)).toEqual(new Array(6).fill(200));
    await postWebhook(app.url!, bodies[0]!, { topic: "orders/create", eventId: "e-0" });

    const events = await app.ctx.db.webhookEvent.findMany({ orderBy: { eventKey: "asc" } });
    expect(events.map((e) => e.eventKey)).toEqual(["e-0", "e-1", "e-2"]);
    const payloads = await app.ctx.db.webhookPayload.findMany();
    expect(payloads.map((p) => p.eventId).sort()).toEqual(events.map((e) => e.id).sort());
    const byId = new Map(payloads.map((p) => [p.eventId, p.payload]));
    expect(events.map((e) => byId.get(e.id))).toEqual(bodies);

    const claimed = await app.ctx.events.claim(10, "test", new Date(), 60_000);
    expect(new Map(claimed.map((c) => [c.eventKey, c.payload]))).toEqual(new Map(bodies.map((b, i) => [`e-${i}`, b])));
    expect(claimed.every((c) => c.shopDomain === SHOP && c.attempts === 1)).toBe(true);
  });
});
