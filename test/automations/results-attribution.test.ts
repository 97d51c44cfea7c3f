import { harnessPerTest, type Harness } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { freshPostgresUrl, hasPostgres } from "../helpers/db";
import { SHOP } from "../helpers/deliveries";
import { adminClient } from "../helpers/admin";
import { configureShop, drain } from "../helpers/shop";
import { firstRecallSent } from "../helpers/recalls";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";
import { inHoldout } from "../../src/policy/holdout";
import type { ShopSettings } from "../../src/store/shop-settings";
import { SWITCHED_OFF_REASON } from "../../src/policy/send-decision";

const CUSTOMER = "603851970716743426";

/** The admin API under /admin/api. */
const admin = (h: Harness) => {
  const api = adminClient(h);
  return (method: string, path: string, body?: unknown) => api(method, `/admin/api${path}`, body);
};

/** Each case on SQLite, and on PostgreSQL when a server is there (helpers/db.ts). */
const DATABASES: [string, () => Promise<Record<string, string>>][] = [
  ["SQLite", async () => ({})],
  ...(hasPostgres ? [["PostgreSQL", async () => ({ DATABASE_URL: await freshPostgresUrl() })] as [string, () => Promise<Record<string, string>>]] : []),
];

describe.each(DATABASES)("%s: Results: attribution rules and the holdout group", (_database, databaseEnv) => {
  let clock: TestClock;
  const h = harnessPerTest(databaseEnv, () => ({ background: false, clock: (clock = new TestClock()) }), configureShop);
  const results = async (r: Partial<ShopSettings["results"]>) => {
    await admin(h)("PUT", "/settings", { results: r });
    return (await admin(h)("GET", "/results")).body;
  };

  /** An order completing checkout `token` (no customer, so only the strict rule can count it). */
  const orderFor = (token: string, id: number) =>
    editFixture("orders-create-3.json", (o) => {
      o.id = id;
      o.name = `#${id}`;
      o.checkout_token = token;
      o.cart_token = null;
      o.checkout_id = null;
    });

  it("holds out 20% of 200 abandoned checkouts: recalls go to 80% ± 8%, and Results show both groups with their orders", async () => {
    await admin(h)("PUT", "/settings", { results: { holdoutPercent: 20 } });
    const tokens = Array.from({ length: 200 }, (_, i) => `tok-${i}`);
    const now = clock.now();
    await h.app.ctx.db.delivery.createMany({
      data: tokens.map((t, i) => ({
        key: `abandoned:${SHOP}:${t}:1`,
        shopDomain: SHOP,
        automation: "abandoned",
        recipientKey: `${SHOP}|uuid:u-${i}`,
        recipient: JSON.stringify({ uuid: `u-${i}` }),
        message: JSON.stringify({ template_type: "text", text: "Your cart is waiting" }),
        promotional: true,
        windowOpenedAt: now,
        subjectKey: `checkout:${t}`,
        runAt: new Date(now.getTime() - 1000),
      })),
    });
    await drain(h);
    const sent = h.standIn.messages.length;
    // Binomial spread: n = 200, p = 0.8, sd 5.7 recalls; 80% ± 8% is 160 ± 16, nearly 3 sd.
    expect(sent).toBeGreaterThanOrEqual(144);
    expect(sent).toBeLessThanOrEqual(176);
    // Exactly the checkouts the hash puts outside the holdout were recalled, each group recorded.
    const held = tokens.filter((t) => inHoldout(SHOP, t, 20));
    expect(sent).toBe(200 - held.length);
    expect(await h.app.ctx.db.delivery.count({ where: { state: "skipped", lastError: { startsWith: "holdout: " } } })).toBe(held.length);
    expect(await h.app.ctx.db.recallGroup.count({ where: { group: "holdout" } })).toBe(held.length);
    expect(await h.app.ctx.db.recallGroup.count({ where: { group: "recalled" } })).toBe(sent);

    // Orders complete 3 recalled checkouts and 2 held-out ones.
    const recalled = tokens.filter((t) => !held.includes(t));
    let id = 9000;
    for (const t of [...recalled.slice(0, 3), ...held.slice(0, 2)]) await postWebhook(h.url, orderFor(t, ++id), { topic: "orders/create" });
    await drain(h);
    const r = (await admin(h)("GET", "/results")).body;
    expect(r.holdoutPercent).toBe(20);
    expect(r.groups.recalled).toMatchObject({ checkouts: sent, orders: 3, revenue: [{ currency: "HKD", amount: "1317.00" }] });
    expect(r.groups.holdout).toMatchObject({ checkouts: held.length, orders: 2, revenue: [{ currency: "HKD", amount: "878.00" }] });
    expect(r.groups.recalled.conversion).toBeCloseTo(3 / sent);
    expect(r.groups.holdout.conversion).toBeCloseTo(2 / held.length);
    expect(r.groups.lift.points).toBeCloseTo(Math.round((3 / sent - 2 / held.length) * 1000) / 10);
    // Recovered revenue counts only the recalled group's orders: the held-out ones had no recall.
    expect(r.recovered.orders).toBe(3);
  });

  it("keeps a held-out checkout held out through its later recalls and updates", async () => {
    await admin(h)("PUT", "/settings", { results: { holdoutPercent: 50 } });
    const token = Array.from({ length: 100 }, (_, i) => `held-${i}`).find((t) => inHoldout(SHOP, t, 50))!;
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    const checkout = editFixture("checkouts-create.json", (c) => (c.token = token));
    await postWebhook(h.url, checkout, { topic: "checkouts/create" });
    await drain(h);
    clock.advanceMinutes(60);
    await drain(h);
    await postWebhook(h.url, checkout, { topic: "checkouts/update" });
    clock.advanceMinutes(1400);
    await drain(h);
    expect(h.standIn.messages).toHaveLength(0);
    const rows = await h.app.ctx.db.delivery.findMany({ where: { automation: "abandoned" } });
    expect(rows.map((d) => d.state)).toEqual(["skipped", "skipped", "skipped"]);
    expect(await h.app.ctx.db.recallGroup.findMany({ select: { subjectKey: true, group: true } })).toEqual([{ subjectKey: `checkout:${token}`, group: "holdout" }]);
  });

  it("puts no checkout in either group once recalls are turned off: its recalls are cancelled, not held out", async () => {
    await admin(h)("PUT", "/settings", { results: { holdoutPercent: 50 } });
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
    await drain(h);
    await admin(h)("PUT", "/settings", { automations: { abandoned: false } });
    clock.advanceMinutes(61);
    await drain(h);
    expect(await h.app.ctx.db.recallGroup.count()).toBe(0);
    const first = await h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "abandoned", key: { endsWith: ":1" } } });
    expect([first.state, first.lastError]).toEqual(["cancelled", SWITCHED_OFF_REASON]);
  });

  it("counts an order by the same customer within N days of a sent recall under the window rule, and not under the strict one", async () => {
    await firstRecallSent(h, clock);
    expect(h.standIn.messages).toHaveLength(1);
    // Two days later John orders through another checkout.
    clock.advanceMinutes(2 * 24 * 60);
    const order = editFixture("orders-create-3.json", (o) => {
      o.customer = { id: CUSTOMER, first_name: "John" };
      o.checkout_token = "another-checkout";
    });
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);

    const strict = await results({ attribution: "strict" });
    expect(strict.attribution).toMatchObject({ attribution: "strict", rule: expect.stringMatching(/^Strict: an order counts when it completes the very checkout/) });
    expect(strict.recovered.orders).toBe(0);
    const week = await results({ attribution: "window", windowDays: 7 });
    expect(week.attribution).toMatchObject({ attribution: "window", windowDays: 7, rule: expect.stringMatching(/within 7 days after a recall/) });
    expect(week.recovered).toMatchObject({ orders: 1, revenue: [{ currency: "HKD", amount: "439.00" }] });
    expect((await results({ attribution: "window", windowDays: 1 })).recovered.orders).toBe(0);
  });

  it("counts under the window rule an order that names no checkout (a draft order), even with receipts off", async () => {
    await firstRecallSent(h, clock);
    expect(h.standIn.messages).toHaveLength(1);
    await admin(h)("PUT", "/settings", { automations: { receipt: false } });
    clock.advanceMinutes(24 * 60);
    const order = editFixture("orders-create-3.json", (o) => {
      o.customer = { id: CUSTOMER, first_name: "John" };
      o.checkout_token = null;
      o.cart_token = null;
      o.checkout_id = null;
    });
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    expect((await results({ attribution: "window", windowDays: 7 })).recovered.orders).toBe(1);
  });

  it("counts a completed recalled checkout under both rules", async () => {
    await firstRecallSent(h, clock);
    await postWebhook(h.url, orderFor("123123123", 777), { topic: "orders/create" });
    await drain(h);
    expect((await results({ attribution: "strict" })).recovered.orders).toBe(1);
    expect((await results({ attribution: "window", windowDays: 1 })).recovered.orders).toBe(1);
  });

  it("refuses a holdout above 50% or a window outside 1 to 30 days, naming the field", async () => {
    expect((await admin(h)("PUT", "/settings", { results: { holdoutPercent: 60 } })).body).toMatchObject({ field: "results.holdoutPercent" });
    expect((await admin(h)("PUT", "/settings", { results: { windowDays: 0 } })).body).toMatchObject({ field: "results.windowDays" });
  });
});
