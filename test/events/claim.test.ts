import type { RunningApp } from "../../src/server";
import { openDatabase } from "../../src/store/db";
import { claimEventsStatement } from "../../src/store/sql/claim-events";
import { DIALECTS } from "../../src/store/sql/dialect";
import { startTestApp, testConfig } from "../helpers/app";
import { freshPostgresUrl, freshSqliteUrl, hasPostgres } from "../helpers/db";
import { SHOP } from "../helpers/deliveries";

/**
 * Claiming stored events for the processor: oldest first (time, then id), received events and
 * those whose lease ran out, never one another worker holds within its lease, up to the limit.
 */
const providers: [string, () => Promise<string>][] = [["SQLite", async () => freshSqliteUrl()]];
if (hasPostgres) providers.push(["PostgreSQL", freshPostgresUrl]);

const LEASE_MS = 60_000;
const NOW = new Date("2026-12-01T12:00:00.000Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

describe.each(providers)("claiming events on %s", (_name, databaseUrl) => {
  let app: RunningApp;
  beforeEach(async () => {
    app = await startTestApp(testConfig({ DATABASE_URL: await databaseUrl() }), { background: false });
  });
  afterEach(() => app.stop());

  async function event(id: string, receivedAt: Date, state = "received", lockedAt: Date | null = null): Promise<void> {
    await app.ctx.db.webhookEvent.create({
      data: { id, shopDomain: SHOP, topic: "orders/create", eventKey: `key-${id}`, state, receivedAt, lockedAt, lockedBy: lockedAt && "other" },
    });
    await app.ctx.db.webhookPayload.create({ data: { eventId: id, payload: `{"id": "${id}"}` } });
  }

  it("takes received and lease-expired events oldest first, by id within one batch, and leaves the rest", async () => {
    await event("e-late", minutesAgo(1));
    await event("e-batch-b", minutesAgo(5));
    await event("e-batch-a", minutesAgo(5));
    await event("e-stale", minutesAgo(9), "processing", minutesAgo(3));
    await event("e-held", minutesAgo(10), "processing", minutesAgo(0.5));
    await event("e-done", minutesAgo(20), "processed");
    await event("e-failed", minutesAgo(20), "failed");

    const first = await app.ctx.events.claim(3, "me", NOW, LEASE_MS);
    expect(first.map((e) => [e.id, e.payload])).toEqual([
      ["e-stale", '{"id": "e-stale"}'],
      ["e-batch-a", '{"id": "e-batch-a"}'],
      ["e-batch-b", '{"id": "e-batch-b"}'],
    ]);
    expect(first.map((e) => e.attempts)).toEqual([1, 1, 1]);
    expect((await app.ctx.events.claim(3, "me", NOW, LEASE_MS)).map((e) => e.id)).toEqual(["e-late"]);
    expect(await app.ctx.events.claim(3, "me", NOW, LEASE_MS)).toEqual([]);
    const rows = await app.ctx.db.webhookEvent.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.id, r.state, r.lockedBy])).toEqual([
      ["e-batch-a", "processing", "me"],
      ["e-batch-b", "processing", "me"],
      ["e-done", "processed", null],
      ["e-failed", "failed", null],
      ["e-held", "processing", "other"],
      ["e-late", "processing", "me"],
      ["e-stale", "processing", "me"],
    ]);
  });

  it("takes the oldest of a large backlog, up to the limit", async () => {
    for (let i = 0; i < 120; i++) await event(`b-${String(i).padStart(3, "0")}`, minutesAgo(200 - i));
    const claimed = await app.ctx.events.claim(50, "me", NOW, LEASE_MS);
    expect(claimed.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => `b-${String(i).padStart(3, "0")}`));
  });

  it("never hands one event to two claims running at once", async () => {
    for (let i = 0; i < 50; i++) await event(`c-${String(i).padStart(2, "0")}`, minutesAgo(100 - i));
    const claims = await Promise.all([1, 2, 3].map((w) => app.ctx.events.claim(30, `worker-${w}`, NOW, LEASE_MS)));
    const ids = claims.flatMap((c) => c.map((e) => e.id));
    expect(claims.every((c) => c.length <= 30)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `c-${String(i).padStart(2, "0")}`));
  });
});

describe("the claim's query plan on SQLite", () => {
  it("reads waiting events by index up to the limit and updates them by id, whatever the backlog", async () => {
    const database = await openDatabase(freshSqliteUrl());
    try {
      const { sql, params } = claimEventsStatement(DIALECTS.sqlite, { limit: 50, workerId: "me", now: NOW, leaseMs: LEASE_MS });
      const plan = (await database.write<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail);
      // Not an OR of two index ranges read whole and sorted, and the update finds its rows by id.
      expect(plan.join("\n")).not.toMatch(/MULTI-INDEX OR/);
      expect(plan[0]).toMatch(/^SEARCH WebhookEvent USING INDEX sqlite_autoindex_WebhookEvent_1 \(id=\?\)/);
      expect(plan.filter((d) => /USING INDEX WebhookEvent_state_receivedAt_idx \(state=\?\)/.test(d))).toHaveLength(2);
    } finally {
      await database.close();
    }
  });
});
