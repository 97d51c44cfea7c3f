import { describePostgres, freshPostgresUrl, freshSqliteUrl } from "../helpers/db";
import { openDatabase, type Database } from "../../src/store/db";
import { ResultsStore } from "../../src/store/results";
import { ClickStore } from "../../src/store/clicks";
import { lastDays, localDay, startOfDay } from "../../src/store/local-days";

const SHOP = "demo-store.myshopify.com";
const NY = "America/New_York";

describe("days in a shop's time zone", () => {
  it("starts a New York day at its local midnight, on both sides of a DST change", () => {
    expect(startOfDay("2026-07-01", NY).toISOString()).toBe("2026-07-01T04:00:00.000Z");
    expect(startOfDay("2026-12-01", NY).toISOString()).toBe("2026-12-01T05:00:00.000Z");
    // 2026-11-01: clocks go back at 02:00; the day starts at EDT midnight, the next at EST midnight (25 hours later).
    expect(startOfDay("2026-11-01", NY).toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(startOfDay("2026-11-02", NY).toISOString()).toBe("2026-11-02T05:00:00.000Z");
    expect(startOfDay("2026-03-08", NY).toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfDay("2026-03-09", NY).toISOString()).toBe("2026-03-09T04:00:00.000Z");
  });

  it("puts an instant on the local day, half-hour zones and UTC included", () => {
    expect(localDay(new Date("2026-12-06T03:30:00Z"), NY)).toBe("2026-12-05");
    expect(localDay(new Date("2026-12-05T18:29:59Z"), "Asia/Kolkata")).toBe("2026-12-05");
    expect(localDay(new Date("2026-12-05T18:30:00Z"), "Asia/Kolkata")).toBe("2026-12-06");
    expect(startOfDay("2026-12-06", "Asia/Kolkata").toISOString()).toBe("2026-12-05T18:30:00.000Z");
    expect(lastDays(new Date("2026-12-06T03:30:00Z"), 7, NY)).toEqual({ from: "2026-11-29", to: "2026-12-05", timeZone: NY });
    expect(lastDays(new Date("2026-12-06T03:30:00Z"), 1, "UTC")).toEqual({ from: "2026-12-06", to: "2026-12-06", timeZone: "UTC" });
  });
});

/** What the Results store must count, whichever database holds the rows. */
function resultsRules(open: () => Promise<Database>) {
  let database: Database;
  let results: ResultsStore;
  let clicks: ClickStore;
  beforeEach(async () => {
    database = await open();
    results = new ResultsStore(database.db);
    clicks = new ClickStore(database.db);
  });
  afterEach(() => database.close());

  let n = 0;
  const message = (at: string, o: { state?: string; automation?: string; customerId?: string; message?: unknown } = {}) =>
    database.db.delivery.create({
      data: {
        key: `k-${++n}`,
        shopDomain: SHOP,
        automation: o.automation ?? "welcome",
        recipientKey: `${SHOP}|uuid:u-${n}`,
        recipient: JSON.stringify({ uuid: `u-${n}` }),
        customerId: o.customerId ?? null,
        message: JSON.stringify(o.message ?? { template_type: "text", text: "hi" }),
        state: o.state ?? "sent",
        runAt: new Date(at),
        sentAt: new Date(at),
        updatedAt: new Date(at),
      },
    });
  const order = (id: string, at: string, o: { paidAt?: string | null; strict?: boolean; recallSentAt?: string; clickedAt?: string; total?: string } = {}) =>
    database.db.recovery.create({
      data: {
        shopDomain: SHOP,
        orderId: id,
        orderName: `#${id}`,
        subjectKey: `checkout:${id}`,
        total: o.total ?? "10.00",
        currency: "USD",
        strict: o.strict ?? true,
        recallSentAt: o.recallSentAt ? new Date(o.recallSentAt) : null,
        clickedAt: o.clickedAt ? new Date(o.clickedAt) : null,
        paidAt: o.paidAt === undefined ? new Date(at) : o.paidAt === null ? null : new Date(o.paidAt),
        recoveredAt: new Date(at),
      },
    });

  it("buckets messages by the shop's local day and leaves out what falls outside the range's local midnights", async () => {
    // New York, December (UTC-5): Dec 5 runs from 05:00Z on Dec 5 to 05:00Z on Dec 6.
    await message("2026-12-05T04:59:59Z"); // Dec 4 in New York: outside
    await message("2026-12-05T05:00:00Z"); // Dec 5
    await message("2026-12-06T03:30:00Z"); // still Dec 5 in New York (Dec 6 in UTC)
    await message("2026-12-06T05:00:00Z", { state: "failed" }); // Dec 6
    await message("2026-12-07T05:00:00Z"); // Dec 7: outside
    const r = await results.forShop(SHOP, { from: "2026-12-05", to: "2026-12-06", timeZone: NY });
    expect(r.days).toEqual(["2026-12-05", "2026-12-06"]);
    expect(r.timeZone).toBe(NY);
    expect(r.automations.welcome).toEqual({ sent: [2, 0], skipped: [0, 0], failed: [0, 1] });
    // The same rows in UTC: the early one counts on Dec 5, the New York evening one moves to Dec 6.
    const utc = await results.forShop(SHOP, { from: "2026-12-05", to: "2026-12-06", timeZone: "UTC" });
    expect(utc.automations.welcome).toEqual({ sent: [2, 1], skipped: [0, 0], failed: [0, 1] });
  });

  it("counts paid orders as recovered and shows unpaid ones apart, per currency, without floats", async () => {
    await order("1", "2026-12-05T12:00:00Z", { total: "19.99" });
    await order("2", "2026-12-05T13:00:00Z", { total: "0.01", paidAt: "2026-12-06T09:00:00Z" });
    await order("3", "2026-12-05T14:00:00Z", { total: "5.00", paidAt: null });
    const r = await results.forShop(SHOP, { from: "2026-12-05", to: "2026-12-06", timeZone: "UTC" });
    expect(r.recovered).toEqual({ orders: 2, revenue: [{ currency: "USD", amount: "20.00" }], daily: [2, 0] });
    expect(r.pending).toEqual({ orders: 1, revenue: [{ currency: "USD", amount: "5.00" }] });
    // orders/paid arrives: the order moves over.
    await database.db.recovery.update({ where: { shopDomain_orderId: { shopDomain: SHOP, orderId: "3" } }, data: { paidAt: new Date("2026-12-06T10:00:00Z") } });
    const after = await results.forShop(SHOP, { from: "2026-12-05", to: "2026-12-06", timeZone: "UTC" });
    expect(after.recovered.orders).toBe(3);
    expect(after.pending).toEqual({ orders: 0, revenue: [] });
  });

  it("counts clicks per message and per automation and day, and orders within N days of a click under the click rule only", async () => {
    const welcome = await message("2026-12-05T10:00:00Z", { customerId: "7" });
    const recall = await message("2026-12-05T10:00:00Z", { automation: "abandoned" });
    const asClicked = (d: typeof welcome) => ({ id: d.id, shopDomain: SHOP, automation: d.automation, recipientKey: d.recipientKey, customerId: d.customerId, message: d.message });
    await clicks.record(asClicked(welcome), 0, new Date("2026-12-05T11:00:00Z"));
    await clicks.record(asClicked(welcome), 0, new Date("2026-12-06T11:00:00Z"));
    await clicks.record(asClicked(recall), 1, new Date("2026-12-06T12:00:00Z"));
    expect(await clicks.perMessage([welcome.id, recall.id, "none"])).toEqual(
      new Map([
        [welcome.id, 2],
        [recall.id, 1],
      ]),
    );
    // An order 2 days after a click, one 10 days after, one never clicked (strict: it completed a recalled checkout).
    await order("a", "2026-12-07T11:00:00Z", { strict: false, clickedAt: "2026-12-05T11:00:00Z" });
    await order("b", "2026-12-15T11:00:00Z", { strict: false, clickedAt: "2026-12-05T11:00:00Z" });
    await order("c", "2026-12-08T11:00:00Z", { strict: true, recallSentAt: "2026-12-05T10:00:00Z" });
    const range = { from: "2026-12-05", to: "2026-12-20", timeZone: "UTC" };
    const byClick = await results.forShop(SHOP, range, { attribution: "click", windowDays: 7 });
    expect(byClick.clicks.welcome!.slice(0, 2)).toEqual([1, 1]);
    expect(byClick.clicks.abandoned!.slice(0, 2)).toEqual([0, 1]);
    expect(byClick.recovered.orders).toBe(1);
    expect(byClick.attribution.rule).toMatch(/^Click: an order counts when the same customer places it within 7 days after clicking/);
    expect((await results.forShop(SHOP, range, { attribution: "click", windowDays: 14 })).recovered.orders).toBe(2);
    // The older rules do not count an order recorded only for its click.
    expect((await results.forShop(SHOP, range, { attribution: "window", windowDays: 30 })).recovered.orders).toBe(1);
    expect((await results.forShop(SHOP, range, { attribution: "strict", windowDays: 7 })).recovered.orders).toBe(1);
  });
}

describe("Results store on SQLite", () => resultsRules(() => openDatabase(freshSqliteUrl())));
describePostgres("Results store on PostgreSQL", () => resultsRules(async () => openDatabase(await freshPostgresUrl())));
