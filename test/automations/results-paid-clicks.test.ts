import { harnessPerTest, type Harness } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { freshPostgresUrl, hasPostgres } from "../helpers/db";
import { SHOP } from "../helpers/deliveries";
import { adminClient } from "../helpers/admin";
import { signSessionToken } from "../../src/shopify/session-token";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, postWebhook } from "../helpers/webhooks";
import { CHECKOUT_CUSTOMER, firstRecallSent } from "../helpers/recalls";

const admin = (h: Harness) => {
  const api = adminClient(h);
  return (method: string, path: string, body?: unknown) => api(method, `/admin/api${path}`, body);
};

/** An export as the admin downloads it: status, headers and text. */
async function exportCsv(h: Harness, path: string) {
  const r = await fetch(`${h.url}/admin/api${path}`, { headers: { authorization: `Bearer ${signSessionToken(h.app.ctx.config, SHOP, 600)}` } });
  return { status: r.status, type: r.headers.get("content-type"), disposition: r.headers.get("content-disposition"), text: await r.text() };
}

/** An order by John; `paid` false: placed unpaid (bank transfer). */
const johnsOrder = (id: number, o: { checkoutToken: string | null; paid: boolean }) =>
  editFixture("orders-create-3.json", (order) => {
    order.id = id;
    order.name = `#${id}`;
    order.customer = { id: CHECKOUT_CUSTOMER, first_name: "John" };
    order.checkout_token = o.checkoutToken;
    order.cart_token = null;
    order.checkout_id = null;
    order.financial_status = o.paid ? "paid" : "pending";
  });

const DATABASES: [string, () => Promise<Record<string, string>>][] = [
  ["SQLite", async () => ({})],
  ...(hasPostgres ? [["PostgreSQL", async () => ({ DATABASE_URL: await freshPostgresUrl() })] as [string, () => Promise<Record<string, string>>]] : []),
];

describe.each(DATABASES)("%s: Results count paid orders, tracked clicks and their exports", (_database, databaseEnv) => {
  let clock: TestClock;
  const h = harnessPerTest(databaseEnv, () => ({ background: false, clock: (clock = new TestClock(Date.parse("2026-12-05T15:00:00Z"))) }), configureShop);

  const recalled = async () => {
    await firstRecallSent(h, clock);
    expect(h.standIn.messages).toHaveLength(1);
  };

  it("shows an unpaid recovered order apart until orders/paid comes, then counts its revenue", async () => {
    await recalled();
    const order = johnsOrder(501, { checkoutToken: "123123123", paid: false });
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    let r = (await admin(h)("GET", "/results?days=7")).body;
    expect(r.recovered).toMatchObject({ orders: 0, revenue: [] });
    expect(r.pending).toEqual({ orders: 1, revenue: [{ currency: "HKD", amount: "439.00" }] });
    clock.advanceMinutes(24 * 60);
    await postWebhook(h.url, order, { topic: "orders/paid" });
    await drain(h);
    r = (await admin(h)("GET", "/results?days=7")).body;
    expect(r.recovered).toMatchObject({ orders: 1, revenue: [{ currency: "HKD", amount: "439.00" }] });
    expect(r.pending).toEqual({ orders: 0, revenue: [] });
    // Counted on the day it was placed, in the shop's days.
    expect(r.recovered.daily.at(-2)).toBe(1);
    const row = await h.app.ctx.db.recovery.findFirstOrThrow();
    expect(row.paidAt!.getTime() - row.recoveredAt.getTime()).toBe(24 * 60 * 60_000);
  });

  it("counts a paid order placed within N days of a click on a message button under the click rule, and says which in the orders export", async () => {
    await admin(h)("PUT", "/settings", { results: { trackClicks: true } });
    await recalled();
    const button = (h.standIn.messages[0]!.body as any).message;
    const tracked = JSON.stringify(button).match(/https:\/\/app\.example\.com(\/c\/[A-Za-z0-9._-]+)/)![1]!;
    clock.advanceMinutes(30);
    expect((await fetch(`${h.url}${tracked}`, { redirect: "manual" })).status).toBe(302);
    clock.advanceMinutes(3 * 24 * 60);
    // Another checkout: only a rule that looks past the recalled checkout counts it.
    await postWebhook(h.url, johnsOrder(502, { checkoutToken: "another", paid: true }), { topic: "orders/create" });
    await drain(h);
    const rule = async (results: object) => (await admin(h)("PUT", "/settings", { results }), (await admin(h)("GET", "/results?days=7")).body);
    const byClick = await rule({ attribution: "click", windowDays: 7 });
    expect(byClick.clicks.abandoned.reduce((a: number, b: number) => a + b, 0)).toBe(1);
    expect(byClick.recovered).toMatchObject({ orders: 1, revenue: [{ currency: "HKD", amount: "439.00" }] });
    expect(byClick.clickTracking).toEqual({ on: true, domain: "app.example.com", available: true });
    expect((await rule({ attribution: "click", windowDays: 2 })).recovered.orders).toBe(0);
    expect((await rule({ attribution: "strict" })).recovered.orders).toBe(0);

    await rule({ attribution: "click", windowDays: 7 });
    const csv = await exportCsv(h, "/results/orders.csv?from=2026-12-01&to=2026-12-10");
    expect([csv.status, csv.type, csv.disposition]).toEqual([200, "text/csv; charset=utf-8", 'attachment; filename="demo-store-orders-2026-12-01-to-2026-12-10.csv"']);
    const lines = csv.text.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe("placed (UTC),order,order id,total,currency,payment,paid at,completed the recalled checkout,recall sent at,clicked at,counted (click rule)");
    expect(lines[1]).toBe("2026-12-08 16:30,#502,502,439.00,HKD,paid,2026-12-08 16:30,no,2026-12-05 16:00,2026-12-05 16:30,yes");
    expect(lines.slice(2)).toEqual([""]);
    // The messages export: the recall, with its click (its last change is dated by the database's own clock, not the test's).
    const messages = (await exportCsv(h, "/results/messages.csv?from=2026-11-01&to=2027-01-31")).text.split("\r\n");
    expect(messages.filter((l) => l.includes(",abandoned,sent,"))).toEqual([
      expect.stringMatching(/^2026-\d\d-\d\d \d\d:\d\d,abandoned,sent,uuid:u…,2026-12-05 16:00,,1,,c[a-z0-9]+$/),
    ]);
  });

  it("exports in the shop's time zone, escapes cells, and writes no cell a spreadsheet would run as a formula", async () => {
    await h.app.ctx.shops.setTimeZone(SHOP, "America/New_York");
    const row = (key: string, at: string, lastError: string) => ({
      key,
      shopDomain: SHOP,
      automation: "manual",
      recipientKey: `${SHOP}|uuid:u-1`,
      recipient: JSON.stringify({ uuid: "u-1" }),
      message: JSON.stringify({ template_type: "text", text: "hi" }),
      state: "failed",
      lastError,
      runAt: new Date(at),
      updatedAt: new Date(at),
    });
    await h.app.ctx.db.delivery.createMany({
      data: [
        row("a", "2026-12-05T04:30:00Z", "outside: Dec 4 in New York"),
        row("b", "2026-12-05T05:30:00Z", '=HYPERLINK("https://evil.example","click me")'),
        row("c", "2026-12-06T04:59:00Z", 'said "no", then\nleft'),
      ],
    });
    const csv = await exportCsv(h, "/results/messages.csv?from=2026-12-05&to=2026-12-05");
    const lines = csv.text.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe("last change (America/New_York),automation,state,recipient,sent at,tag,clicks,reason,message id");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^2026-12-05 00:30,manual,failed,uuid:u…,,,0,"'=HYPERLINK\(""https:\/\/evil\.example"",""click me""\)",c/);
    expect(csv.text).toContain('2026-12-05 23:59,manual,failed,uuid:u…,,,0,"said ""no"", then\nleft",');
    expect((await admin(h)("GET", "/results?from=2026-12-05&to=2026-12-05")).body).toMatchObject({
      days: ["2026-12-05"],
      timeZone: "America/New_York",
      automations: { manual: { failed: [2] } },
    });
    // A range the API refuses, naming the field.
    expect((await admin(h)("GET", "/results?from=2026-12-06&to=2026-12-05")).body).toEqual({ error: "must not be before from", field: "to" });
    expect((await admin(h)("GET", "/results?from=2026-02-30&to=2026-03-01")).body).toEqual({ error: "not a date in the calendar", field: "from" });
    expect((await exportCsv(h, "/results/orders.csv?from=2026-12-05")).status).toBe(400);
  });
});
