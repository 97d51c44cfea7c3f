// The fault and bad-input suite: real processes, the real stand-in, real signed webhooks. Each
// scenario records what was injected and what came out; the table is printed at the end of the run.
import fs from "node:fs";
import fc from "fast-check";
import type { RunningApp } from "../../src/server";
import { JoinChatStandIn } from "../../src/standin/server";
import { startTestApp, testConfig, TEST_ENCRYPTION_KEY, TEST_SHOPIFY_SECRET, startHarness } from "../helpers/app";
import { JOINCHAT_SECRET, PAGE, SHOP, seedDeliveries, waitFor } from "../helpers/deliveries";
import { FAULT_FIGURES_FILE } from "../helpers/fault-figures";
import { exited, startAppProcess, waitUntilHealthy } from "../helpers/processes";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";

interface Figure {
  scenario: string;
  faults: string;
  expected: number;
  delivered: number;
  duplicated: number;
  note?: string;
}
const figures: Figure[] = [];

afterAll(() => {
  const rows = figures.map((f) => `| ${f.scenario} | ${f.faults} | ${f.expected} | ${f.delivered} | ${f.duplicated} | ${f.note ?? ""} |`);
  const table = [
    "Fault suite figures",
    "| scenario | faults injected | messages expected | delivered | duplicated | note |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
  // Printed by test/global-teardown.ts after jest's summary: the last thing the run shows.
  fs.writeFileSync(FAULT_FIGURES_FILE(), `${table}\n`);
});

/** Distinct message bodies the stand-in accepted, and how many arrived more than once. */
function tally(standIn: JoinChatStandIn, keyOf: (raw: string) => string = (raw) => raw) {
  const counts = new Map<string, number>();
  for (const m of standIn.messages) counts.set(keyOf(m.raw), (counts.get(keyOf(m.raw)) ?? 0) + 1);
  return { distinct: counts.size, duplicated: [...counts.values()].filter((n) => n > 1).length };
}

async function healthy(url: string): Promise<boolean> {
  const res = await fetch(`${url}/healthz`);
  return res.status === 200 && ((await res.json()) as { ok: boolean }).ok;
}

describe("faults", () => {
  it("JoinChat down for a minute, then back: /healthz says so meanwhile, each message tried a handful of times, all delivered once within 10 s of its return", async () => {
    const standIn = new JoinChatStandIn({ [PAGE]: JOINCHAT_SECRET });
    await standIn.listen();
    const port = Number(new URL(standIn.url).port);
    // The production probe interval (JOINCHAT_PROBE_MS, 5 s) and a short backoff base.
    const app = await startTestApp(testConfig({ JOINCHAT_API_URL: standIn.url, JOINCHAT_RETRY_BASE_MS: "1000", JOINCHAT_TIMEOUT_MS: "1000" }));
    try {
      await app.ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET });
      await standIn.close(); // down: connections refused
      await seedDeliveries(app.ctx.db, 50, { recipients: 25 });
      app.worker!.poke();
      // Down for 60 s, /healthz read every few seconds meanwhile.
      const healthDuring: string[] = [];
      for (const until = Date.now() + 60_000; Date.now() < until;) {
        await new Promise((r) => setTimeout(r, 3_000));
        healthDuring.push(((await (await fetch(`${app.url}/healthz`)).json()) as { joinchat: { state: string } }).joinchat.state);
      }
      const during = await app.ctx.db.delivery.findMany();
      await standIn.listen(port); // back, same address
      const back = Date.now();
      const sent = await waitFor(
        () => app.ctx.db.delivery.count({ where: { state: "sent" } }),
        (n) => n === 50,
        30_000,
      );
      const tookMs = Date.now() - back;
      const t = tally(standIn);
      const mostAttempts = Math.max(...during.map((d) => d.attempts));
      figures.push({
        scenario: "JoinChat down 60 s, then back",
        faults: "60 s of refused connections",
        expected: 50,
        delivered: t.distinct,
        duplicated: t.duplicated,
        note: `at most ${mostAttempts} tries a message during the outage; all sent ${(tookMs / 1000).toFixed(1)} s after the return`,
      });
      // All waiting, but for the one probe that may be in flight when the rows are read.
      expect(during.filter((d) => d.state !== "scheduled" && d.state !== "sending")).toEqual([]);
      expect(during.filter((d) => d.state === "sending").length).toBeLessThanOrEqual(1);
      expect(mostAttempts).toBeLessThanOrEqual(3);
      // Unreachable from the first failures on (the first read comes 3 s in).
      expect(healthDuring.length).toBeGreaterThanOrEqual(15);
      expect(healthDuring.every((s) => s === "unreachable")).toBe(true);
      expect(sent).toBe(50);
      expect(tookMs).toBeLessThan(10_000);
      expect(t).toEqual({ distinct: 50, duplicated: 0 });
      expect(await healthy(app.url!)).toBe(true);
      const health = (await (await fetch(`${app.url}/healthz`)).json()) as { joinchat: { state: string } };
      expect(health.joinchat.state).toBe("ok");
    } finally {
      await app.stop();
      await standIn.close();
    }
  }, 120_000);

  it("JoinChat answering 30% 5xx at random: every message delivered once", async () => {
    const h = await startHarness({ JOINCHAT_RETRY_BASE_MS: "10" });
    try {
      await configureShop(h);
      h.standIn.set({ failRate: 0.3 });
      await seedDeliveries(h.app.ctx.db, 200, { recipients: 50 });
      await h.app.ctx.db.delivery.updateMany({ data: { maxAttempts: 20 } });
      h.app.worker!.poke();
      const sent = await waitFor(
        () => h.app.ctx.db.delivery.count({ where: { state: "sent" } }),
        (n) => n === 200,
        60_000,
      );
      const injected = h.standIn.calls.filter((c) => c.reason === "injected").length;
      const t = tally(h.standIn);
      figures.push({ scenario: "30% random 503", faults: `${injected} failed calls`, expected: 200, delivered: t.distinct, duplicated: t.duplicated });
      expect(sent).toBe(200);
      expect(injected).toBeGreaterThan(20);
      expect(t).toEqual({ distinct: 200, duplicated: 0 });
      expect(await healthy(h.url)).toBe(true);
    } finally {
      await h.close();
    }
  }, 90_000);

  it("kill -9 during a burst of 100 orders, then restart: every order's receipt once (but for sends in flight at the kill)", async () => {
    const standIn = new JoinChatStandIn({ [PAGE]: JOINCHAT_SECRET });
    await standIn.listen();
    standIn.set({ latencyMs: 20 });
    const config = testConfig({ JOINCHAT_API_URL: standIn.url, ROLE: "web" });
    const inspector: RunningApp = await startTestApp(config, { background: false });
    const env = {
      DATABASE_URL: config.DATABASE_URL,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      SHOPIFY_API_KEY: "k",
      SHOPIFY_API_SECRET: TEST_SHOPIFY_SECRET,
      JOINCHAT_API_URL: standIn.url,
      JOINCHAT_RETRY_BASE_MS: "50",
      DELIVERY_LEASE_MS: "2000",
      JOINCHAT_TIMEOUT_MS: "1000",
    };
    try {
      await inspector.ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET });
      await inspector.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
      const orders = Array.from({ length: 100 }, (_, i) => ({
        id: `evt-order-${i}`,
        body: editFixture("orders-create.json", (o) => ((o.id = 7000000000000 + i), (o.name = `#${2000 + i}`))),
      }));
      const port = 20000 + Math.floor(Math.random() * 20000);
      let app = startAppProcess({ ...env, PORT: String(port) });
      const url = `http://127.0.0.1:${port}`;
      await waitUntilHealthy(url);
      const acknowledged = new Set<string>();
      const burst = orders.map(async (o, i) => {
        await new Promise((r) => setTimeout(r, i * 3));
        const res = await postWebhook(url, o.body, { topic: "orders/create", eventId: o.id, shop: SHOP }).catch(() => null);
        if (res?.status === 200) acknowledged.add(o.id);
      });
      // Kill it mid-burst: some webhooks acknowledged, some in flight, some sends under way.
      await waitFor(
        async () => acknowledged.size,
        (n) => n >= 40,
        10_000,
      );
      app.kill("SIGKILL");
      await exited(app);
      await Promise.all(burst);
      const sentBeforeKill = standIn.messages.length;
      const inFlightAtKill = await inspector.ctx.db.delivery.count({ where: { state: "sending" } });
      // Restart, and let "Shopify" redeliver what was never acknowledged, as it does.
      app = startAppProcess({ ...env, PORT: String(port) });
      try {
        await waitUntilHealthy(url);
        for (const o of orders.filter((o) => !acknowledged.has(o.id))) {
          const res = await postWebhook(url, o.body, { topic: "orders/create", eventId: o.id, shop: SHOP });
          expect(res.status).toBe(200);
        }
        await waitFor(
          () => inspector.ctx.db.delivery.count({ where: { state: "sent" } }),
          (n) => n === 100,
          60_000,
        );
        const receipts = tally(standIn, (raw) => JSON.parse(raw).message.order_number);
        figures.push({
          scenario: "kill -9 in a burst of 100 orders",
          faults: `killed after ${acknowledged.size} acknowledged, ${sentBeforeKill} sent, ${inFlightAtKill} in flight`,
          expected: 100,
          delivered: receipts.distinct,
          duplicated: receipts.duplicated,
          note: "duplicates allowed only for sends in flight at the kill",
        });
        expect(receipts.distinct).toBe(100);
        // Only the sends in flight when the process died may have gone out twice.
        expect(standIn.messages.length - receipts.distinct).toBeLessThanOrEqual(inFlightAtKill);
        expect(await healthy(url)).toBe(true);
      } finally {
        app.kill("SIGTERM");
        await exited(app);
      }
    } finally {
      await inspector.stop();
      await standIn.close();
    }
  }, 120_000);

  it("the same webhook 20 times, and orders/create before its checkout: one message, no recall", async () => {
    const h = await startHarness({}, { background: false });
    try {
      await configureShop(h);
      await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: "603851970716743426" }, new Date());
      const order = editFixture("orders-create.json", (o) => {
        o.checkout_token = "123123123";
        o.customer.id = "603851970716743426";
      });
      for (let i = 0; i < 20; i++) await postWebhook(h.url, order, { topic: "orders/create", eventId: "same-event" });
      await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
      await drain(h);
      const t = tally(h.standIn);
      const recalls = await h.app.ctx.db.delivery.findMany({ where: { automation: "abandoned" } });
      figures.push({
        scenario: "same webhook x20; order before checkout",
        faults: "19 repeats, 1 out-of-order",
        expected: 1,
        delivered: t.distinct,
        duplicated: t.duplicated,
        note: `${recalls.length} recalls, all cancelled`,
      });
      expect(h.standIn.messages).toHaveLength(1);
      expect(recalls.map((r) => r.state)).toEqual(["cancelled", "cancelled", "cancelled"]);
    } finally {
      await h.close();
    }
  });

  it("10,000 generated bad payloads with valid signatures: no crash, nothing sent, healthz green", async () => {
    const h = await startHarness({}, { background: false });
    try {
      await configureShop(h);
      await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
      const topics = [
        "orders/create",
        "orders/paid",
        "checkouts/create",
        "checkouts/update",
        "customers/create",
        "fulfillments/create",
        "customers/redact",
        "customers/data_request",
        "app/uninstalled",
      ];
      const weird = fc.oneof(
        fc.string(),
        fc.string({ unit: "grapheme", maxLength: 2000 }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant("x".repeat(100_000)),
        fc.constant("\u0000\ud800"),
      );
      const payload = fc.oneof(
        fc.dictionary(
          fc.constantFrom(
            "id",
            "customer",
            "line_items",
            "token",
            "currency",
            "total_price",
            "note_attributes",
            "email",
            "order_id",
            "tracking_url",
            "abandoned_checkout_url",
            "completed_at",
            "name",
          ),
          fc.oneof(weird, fc.array(weird, { maxLength: 5 }), fc.dictionary(fc.string(), weird, { maxKeys: 4 })),
        ),
        fc.jsonValue(),
      );
      const samples = fc.sample(fc.tuple(fc.constantFrom(...topics), payload), { numRuns: 10_000, seed: 42 });
      let accepted = 0;
      let refused = 0;
      for (let i = 0; i < samples.length; i += 50) {
        const answers = await Promise.all(
          samples.slice(i, i + 50).map(([topic, p]) => postWebhook(h.url, JSON.stringify(p) ?? "null", { topic, shop: i % 100 === 0 ? SHOP : "fuzz-shop.myshopify.com" })),
        );
        for (const a of answers) {
          if (a.status === 200) accepted++;
          else if (a.status === 400 || a.status === 413) refused++;
          else throw new Error(`unexpected status ${a.status}`);
        }
        if (i % 1000 === 0) await drain(h);
      }
      await drain(h);
      const byState = await h.app.ctx.db.webhookEvent.groupBy({ by: ["state"], _count: { _all: true } });
      const stuck = byState.filter((g) => g.state === "received" || g.state === "processing");
      figures.push({
        scenario: "10,000 fuzzed payloads",
        faults: `${accepted} stored, ${refused} refused (not an object / too large)`,
        expected: 0,
        delivered: h.standIn.messages.length,
        duplicated: 0,
        note: byState.map((g) => `${g.state} ${g._count._all}`).join(", "),
      });
      expect(accepted + refused).toBe(10_000);
      expect(stuck).toEqual([]);
      expect(h.standIn.messages).toHaveLength(0);
      expect(await healthy(h.url)).toBe(true);
    } finally {
      await h.close();
    }
  }, 300_000);
});
