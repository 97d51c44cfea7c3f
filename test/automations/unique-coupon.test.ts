import { Session } from "@shopify/shopify-api";
import { startHarness, TEST_SHOPIFY_SECRET, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { created, FakeAdminApi, throttled, userErrors } from "../helpers/fake-admin-api";
import { configureShop, drain, drainRetries } from "../helpers/shop";
import { MAX_EVENT_ATTEMPTS } from "../../src/automations/contract";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";
import { AdminGraphql } from "../../src/shopify/admin-graphql";
import { welcomeCodeFor } from "../../src/shopify/discounts";
import type { ButtonMessage } from "../../src/messages/schema";

const CUSTOMER = "8658316394796";
const EXPECTED_CODE = welcomeCodeFor(TEST_SHOPIFY_SECRET, SHOP, CUSTOMER, "WELCOME");

describe("welcome coupon with unique single-use codes (couponMode unique)", () => {
  let h: Harness;
  let admin: FakeAdminApi;
  /** The waits the throttle asked for; the test's sleep records them and returns at once. */
  let waits: number[];
  /** When each wait began (Date.now()). */
  let waitsBegan: number[];

  beforeEach(async () => {
    admin = new FakeAdminApi();
    await admin.listen();
    h = await startHarness({}, { background: false });
    waits = [];
    waitsBegan = [];
    h.app.ctx.admin = new AdminGraphql(h.app.ctx.shopify!, { sleep: async (ms) => void (waits.push(ms), waitsBegan.push(Date.now())) });
    await configureShop(h, { settings: { couponMode: "unique" } });
    await h.app.ctx.sessions.store(
      new Session({
        id: `offline_${SHOP}`,
        shop: SHOP,
        state: "",
        isOnline: false,
        accessToken: "shpat_offline",
        scope: "write_discounts",
        expires: new Date(Date.now() + 3_600_000),
      }),
    );
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: CUSTOMER }, new Date());
  });
  afterEach(async () => {
    await h.close();
    await admin.close();
  });

  const message = () => h.standIn.messages[0]!.body.message as ButtonMessage;
  const event = () => h.app.ctx.db.webhookEvent.findFirstOrThrow();

  it("creates a single-use code for this customer only through discountCodeBasicCreate and sends it", async () => {
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);

    expect(admin.requests).toHaveLength(1);
    const r = admin.requests[0]!;
    expect(r.path).toBe("/admin/api/2026-10/graphql.json");
    expect(r.accessToken).toBe("shpat_offline");
    expect(r.query).toMatch(/discountCodeBasicCreate\(basicCodeDiscount: \$discount\)/);
    const d = r.variables.discount;
    expect(d).toMatchObject({
      code: EXPECTED_CODE,
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: [`gid://shopify/Customer/${CUSTOMER}`] } },
      customerGets: { value: { percentage: 0.1 }, items: { all: true } },
    });
    expect(Date.parse(d.endsAt) - Date.parse(d.startsAt)).toBe(30 * 86_400_000);
    expect(EXPECTED_CODE).toMatch(/^WELCOME-[A-Z2-9]{10}$/);

    expect(h.standIn.messages).toHaveLength(1);
    expect(h.standIn.messages[0]!.body.tag).toBeUndefined();
    expect(message().text).toContain(EXPECTED_CODE);
    expect(message().buttons[0]).toHaveProperty("url", `https://${SHOP}/discount/${EXPECTED_CODE}`);
    expect((await event()).note).toBeNull();
  });

  it("gives two customers two different codes, with the shop's prefix and percentage", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { uniqueCoupon: { prefix: "HELLO", percentage: 15, validDays: 7 } } });
    await h.app.ctx.links.link(SHOP, "uuid-bea", { customerId: "42" }, new Date());
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await postWebhook(
      h.url,
      editFixture("customers-create.json", (c) => (c.id = "42")),
      { topic: "customers/create" },
    );
    await drain(h);
    const codes = admin.requests.map((r) => r.variables.discount.code);
    expect(codes).toEqual([welcomeCodeFor(TEST_SHOPIFY_SECRET, SHOP, CUSTOMER, "HELLO"), welcomeCodeFor(TEST_SHOPIFY_SECRET, SHOP, "42", "HELLO")]);
    expect(new Set(codes).size).toBe(2);
    expect(admin.requests[0]!.variables.discount.customerGets.value.percentage).toBe(0.15);
    expect(h.standIn.messages.map((m) => (m.body.message as ButtonMessage).text.match(/HELLO-\w+/)![0]).sort()).toEqual([...codes].sort());
  });

  it("waits for the cost bucket a THROTTLED answer reports, then retries", async () => {
    // 4 points left, restoring at 50/s, the mutation costs 10: (10 - 4) / 50 s = 120 ms.
    admin.answer(throttled(4), created());
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(admin.requests).toHaveLength(2);
    expect(waits).toEqual([120]);
    expect(message().text).toContain(EXPECTED_CODE);
  });

  it("waits before the next call when the last answer left the bucket short", async () => {
    admin.answer(created(0));
    await h.app.ctx.links.link(SHOP, "uuid-bea", { customerId: "42" }, new Date());
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await postWebhook(
      h.url,
      editFixture("customers-create.json", (c) => (c.id = "42")),
      { topic: "customers/create" },
    );
    await drain(h);
    expect(admin.requests).toHaveLength(2);
    // Empty bucket at 50 points/s: 10 points are back 200 ms after the first answer, which came
    // after its request reached the fake; the wait asked for ends no earlier than that.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(200);
    expect(waitsBegan[0]! + waits[0]! - admin.requests[0]!.at).toBeGreaterThanOrEqual(195);
    expect(h.standIn.messages).toHaveLength(2);
  });

  it("really sleeps through a throttle with the default timer (no injected sleep)", async () => {
    h.app.ctx.admin = new AdminGraphql(h.app.ctx.shopify!);
    admin.answer(throttled(0, 100), created());
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(admin.requests).toHaveLength(2);
    expect(admin.requests[1]!.at - admin.requests[0]!.at).toBeGreaterThanOrEqual(95);
  });

  it("takes a code Shopify already holds (an earlier try made it) and sends it once", async () => {
    admin.answer(userErrors({ code: "TAKEN", field: ["basicCodeDiscount", "code"], message: "Code must be unique." }));
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    expect(message().text).toContain(EXPECTED_CODE);
  });

  it("falls back to the static code, and says why, when Shopify refuses the discount", async () => {
    admin.answer(userErrors({ code: "INVALID", field: ["basicCodeDiscount", "customerGets"], message: "Value is invalid" }));
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(message().text).toContain("WELCOME10");
    expect((await event()).note).toMatch(/refused.*customerGets: Value is invalid.*static code was used/);
  });

  it("falls back to the static code when the token was revoked (HTTP 401)", async () => {
    admin.answer({ status: 401, body: { errors: "[API] Invalid API key or access token" } });
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(admin.requests).toHaveLength(1);
    expect(message().text).toContain("WELCOME10");
    expect((await event()).note).toMatch(/HTTP 401.*static code was used/);
  });

  it("retries the event with backoff while Shopify is unavailable, and uses the static code on its last try", async () => {
    for (let i = 0; i < 5 * MAX_EVENT_ATTEMPTS; i++) admin.answer({ status: 503 });
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });

    expect(await h.app.processor!.runOnce()).toBe(1);
    let e = await event();
    expect([e.state, e.attempts, e.note]).toEqual(["retry", 1, expect.stringMatching(/unavailable: HTTP 503 \(5 tries\)/)]);
    expect(e.runAt!.getTime()).toBeGreaterThan(Date.now() - 1000);
    // Not due yet: the next pass leaves it alone.
    expect(h.standIn.messages).toHaveLength(0);

    await drainRetries(h);
    e = await event();
    expect([e.state, e.attempts]).toEqual(["processed", MAX_EVENT_ATTEMPTS]);
    expect(e.note).toMatch(/unavailable.*static code was used/);
    expect(admin.requests).toHaveLength(5 * MAX_EVENT_ATTEMPTS);
    expect(message().text).toContain("WELCOME10");
  });

  it("uses the static code when the shop has no offline token (never opened the app)", async () => {
    await h.app.ctx.sessions.deleteForShop(SHOP);
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(admin.requests).toHaveLength(0);
    expect(message().text).toContain("WELCOME10");
    expect((await event()).note).toMatch(/no offline token.*static code was used/);
  });

  it("makes no code for a customer whose 24-hour window is closed", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: CUSTOMER }, new Date(Date.now() - 25 * 3600_000));
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(admin.requests).toHaveLength(0);
    expect(h.standIn.messages).toHaveLength(0);
    const e = await event();
    expect([e.state, e.note]).toEqual(["skipped", expect.stringMatching(/window is closed: no unique code/)]);
  });
});
