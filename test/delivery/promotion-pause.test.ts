import { startHarness, type Harness } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { freshPostgresUrl, hasPostgres } from "../helpers/db";
import { SHOP, seedDeliveries } from "../helpers/deliveries";
import { adminClient } from "../helpers/admin";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";

const CUSTOMER = "603851970716743426";

/** The admin API as the page calls it, for the harness's shop. */
/** The admin API under /admin/api. */
const admin = (h: Harness) => {
  const api = adminClient(h);
  return (method: string, path: string) => api(method, `/admin/api${path}`);
};

/** Each case on SQLite, and on PostgreSQL when a server is there (helpers/db.ts). */
const DATABASES: [string, () => Promise<Record<string, string>>][] = [
  ["SQLite", async () => ({})],
  ...(hasPostgres ? [["PostgreSQL", async () => ({ DATABASE_URL: await freshPostgresUrl() })] as [string, () => Promise<Record<string, string>>]] : []),
];

describe.each(DATABASES)("%s: a shop whose promotions JoinChat mostly refuses", (_database, databaseEnv) => {
  let h: Harness;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    h = await startHarness(await databaseEnv(), { background: false, clock });
    await configureShop(h);
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
  });
  afterEach(() => h.close());

  /** `n` promotions to u-0..u-(n-1), JoinChat refusing the first `refused` of them (10010). */
  async function answered(n: number, refused: number) {
    await seedDeliveries(h.app.ctx.db, n, { promotional: true, windowOpenedAt: clock.now(), runAt: new Date(clock.now().getTime() - 1000), prefix: "promo" });
    h.standIn.set({ unknownRecipients: Array.from({ length: refused }, (_, i) => `u-${i}`) });
    await drain(h);
    h.standIn.set({ unknownRecipients: [] });
  }

  it("pauses its recalls (not sent, with the reason) while a receipt still goes, and the admin shows the pause", async () => {
    await answered(20, 12);
    expect(h.standIn.messages).toHaveLength(8);
    const api = admin(h);
    expect((await api("GET", "/promotions")).body).toMatchObject({ paused: true, attempted: 20, refused: 12, enabled: true });

    // A recall comes due: not sent, and the row says why.
    await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
    await drain(h);
    clock.advanceMinutes(60);
    await drain(h);
    const recall = await h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "abandoned", key: { endsWith: ":1" } } });
    expect(recall.state).toBe("skipped");
    expect(recall.lastError).toMatch(/^promotions paused: JoinChat refused 12 of the last 20 promotional or tagged messages/);
    expect(h.standIn.messages).toHaveLength(8);

    // A receipt still goes.
    const order = editFixture("orders-create-3.json", (o) => (o.customer = { id: CUSTOMER, first_name: "John" }));
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(9);
    expect(h.standIn.messages.at(-1)!.body.message.template_type).toBe("receipt");
    expect((await h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "receipt" } })).state).toBe("sent");

    // The admin says so: the delivery log in plain words, the checklist, Results, /healthz.
    const log = (await api("GET", `/deliveries/${recall.id}`)).body.delivery;
    expect(log.explanation).toMatch(/promotions are paused because JoinChat refused too many/);
    const setup = (await api("GET", "/setup")).body.items;
    expect(setup.find((i: any) => i.id === "promotions")).toMatchObject({ done: false, title: "Promotions are paused" });
    expect((await api("GET", "/results")).body.promotions).toMatchObject({ paused: true, refused: 12 });
    const health = (await (await fetch(`${h.url}/healthz`)).json()) as { promotions: unknown };
    expect(health.promotions).toEqual({ pausedShops: 1 });

    // The merchant resumes them: the count starts afresh.
    const resumed = (await api("POST", "/promotions/resume")).body;
    expect(resumed).toMatchObject({ paused: false, attempted: 0, refused: 0 });
    expect((await api("GET", "/setup")).body.items.find((i: any) => i.id === "promotions")).toBeUndefined();
    // The next recall, due seconds after the Resume, goes: the worker's cached settings predate it.
    clock.advanceMinutes(420);
    await drain(h);
    expect((await h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "abandoned", key: { endsWith: ":2" } } })).state).toBe("sent");
    expect(h.standIn.messages).toHaveLength(10);
  });

  it("keeps sending promotions while refusals stay at or below the rule (6 of 20)", async () => {
    await answered(20, 6);
    expect((await admin(h)("GET", "/promotions")).body.paused).toBe(false);
    await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
    await drain(h);
    clock.advanceMinutes(60);
    await drain(h);
    expect((await h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "abandoned", key: { endsWith: ":1" } } })).state).toBe("sent");
  });

  it("lifts the pause once the refusals are more than 24 hours old", async () => {
    await answered(20, 20);
    expect((await admin(h)("GET", "/promotions")).body.paused).toBe(true);
    clock.advanceMinutes(24 * 60 + 1);
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    expect((await admin(h)("GET", "/promotions")).body).toMatchObject({ paused: false, attempted: 0 });
    await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
    await drain(h);
    clock.advanceMinutes(60);
    await drain(h);
    expect((await h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "abandoned", key: { endsWith: ":1" } } })).state).toBe("sent");
  });

  it("counts the shop's tagged sends past the window with its promotions, records the tag a refused one went with, and holds tagged sends while paused", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { pastWindow: "send_tagged" } });
    // John's last Send to Messenger click is two days old: his receipts would go tagged.
    await h.app.ctx.db.recipientLink.updateMany({ data: { linkedAt: new Date(clock.now().getTime() - 2 * 86_400_000) } });
    const order = (id: string) => editFixture("orders-create-3.json", (o) => ((o.id = id), (o.customer = { id: CUSTOMER, first_name: "John" })));
    h.standIn.set({ unknownRecipients: ["uuid-john"] });
    await postWebhook(h.url, order("5001"), { topic: "orders/create" });
    await drain(h);
    const refused = await h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "receipt" } });
    expect([refused.state, refused.joinchatCode, refused.tag]).toEqual(["failed", "10010", "POST_PURCHASE_UPDATE"]);
    expect((await admin(h)("GET", "/promotions")).body).toMatchObject({ paused: false, attempted: 1, refused: 1 });

    await answered(20, 12);
    expect((await admin(h)("GET", "/promotions")).body).toMatchObject({ paused: true, attempted: 21, refused: 13 });
    const before = h.standIn.calls.length;
    await postWebhook(h.url, order("5002"), { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.calls.length).toBe(before);
    const held = await h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "receipt", state: { not: "failed" } } });
    expect([held.state, held.reasonCode]).toEqual(["skipped", "tagged_paused"]);
    expect(held.lastError).toMatch(/^promotions paused: JoinChat refused 13 of the last 21 promotional or tagged messages/);
  });

  it("leaves promotions alone when the shop turned the protection off", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { promotionPause: false } });
    await answered(20, 20);
    expect((await admin(h)("GET", "/promotions")).body).toMatchObject({ paused: false, enabled: false, refused: 20 });
  });
});
