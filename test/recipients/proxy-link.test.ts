import { harnessPerTest, startHarness, startTestApp, testConfig, type Harness } from "../helpers/app";
import { describePostgres, freshPostgresUrl } from "../helpers/db";
import type { RunningApp } from "../../src/server";
import { SHOP } from "../helpers/deliveries";
import { nowSeconds, signedProxyQuery } from "../helpers/proxy";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, postWebhook } from "../helpers/webhooks";
import { LosslessNumber } from "lossless-json";
import pino from "pino";

// Every signature in this file is computed by test/helpers/proxy.ts from Shopify's documented
// algorithm, never by the code under test.
const base = { shop: SHOP, path_prefix: "/apps/joinchat" };
const CUSTOMER = "8658316394796";
const BIG_CUSTOMER = "9007199254740993017";

describe("app proxy /proxy/link", () => {
  const h = harnessPerTest({}, { background: false });
  const links = () => h.app.ctx.db.recipientLink.findMany({ orderBy: { uuid: "asc" } });
  const post = (query: string, body: unknown) =>
    fetch(`${h.url}/proxy/link?${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("links a genuine request's uuid to the logged-in customer and records when (the window opens)", async () => {
    const before = Date.now();
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: CUSTOMER, timestamp: nowSeconds() }), { uuid: "visitor-1" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ ok: true, linked: "customer" });
    const [link] = await links();
    expect(link).toMatchObject({ shopDomain: SHOP, uuid: "visitor-1", customerId: CUSTOMER, source: "proxy" });
    expect(link!.linkedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("links an anonymous visitor (empty logged_in_customer_id) with no customer", async () => {
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "", timestamp: nowSeconds() }), { uuid: "anon-0" });
    expect(await res.json()).toEqual({ ok: true, linked: "anonymous" });
    expect((await links()).map((l) => [l.uuid, l.customerId, l.email])).toEqual([["anon-0", null, null]]);
  });

  it("accepts the GET form with ?uuid= too", async () => {
    const res = await fetch(`${h.url}/proxy/link?${signedProxyQuery({ ...base, uuid: "visitor-g", logged_in_customer_id: "", timestamp: nowSeconds() })}`);
    expect(res.status).toBe(200);
    expect((await links()).map((l) => [l.uuid, l.customerId])).toEqual([["visitor-g", null]]);
  });

  it("verifies a query with a repeated parameter signed the documented way (values joined with a comma)", async () => {
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "", tag: ["a", "b"], timestamp: nowSeconds() }), { uuid: "visitor-r" });
    expect(res.status).toBe(200);
    expect((await links()).map((l) => l.uuid)).toEqual(["visitor-r"]);
  });

  it("links nothing for a forged signature", async () => {
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "1", timestamp: nowSeconds() }, "not-the-app-secret"), { uuid: "v" });
    expect(res.status).toBe(401);
    expect(await links()).toEqual([]);
  });

  it("links nothing when a signed parameter was changed after signing (another customer id)", async () => {
    const query = signedProxyQuery({ ...base, logged_in_customer_id: "1", timestamp: nowSeconds() }).replace("logged_in_customer_id=1", "logged_in_customer_id=2");
    const res = await post(query, { uuid: "v" });
    expect(res.status).toBe(401);
    expect(await links()).toEqual([]);
  });

  it("links nothing for an unsigned request", async () => {
    const res = await post(new URLSearchParams({ ...base, logged_in_customer_id: "1", timestamp: nowSeconds() }).toString(), { uuid: "v" });
    expect(res.status).toBe(401);
    expect(await links()).toEqual([]);
  });

  it("links nothing for a two-day-old request, genuine signature or not", async () => {
    const old = String(Math.floor(Date.now() / 1000) - 2 * 24 * 3600);
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "1", timestamp: old }), { uuid: "v" });
    expect(res.status).toBe(401);
    expect(await links()).toEqual([]);
  });

  it("links nothing for a genuinely signed query without a timestamp: not from Shopify's proxy, which always sends one", async () => {
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "1" }), { uuid: "v" });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/timestamp/);
    expect(await links()).toEqual([]);
  });

  it("refuses a uuid that is not one, or none at all, and links nothing", async () => {
    for (const body of [{ uuid: "<script>" }, { uuid: "x".repeat(129) }, {}, { uuid: "v", action: "steal" }]) {
      const res = await post(signedProxyQuery({ ...base, timestamp: nowSeconds() }), body);
      expect(res.status).toBe(400);
    }
    expect(await links()).toEqual([]);
  });

  it("a logged-in re-click refreshes linkedAt (reopens the window); a logged-out re-post of the uuid changes nothing", async () => {
    await post(signedProxyQuery({ ...base, logged_in_customer_id: CUSTOMER, timestamp: nowSeconds() }), { uuid: "v-1" });
    const first = (await links())[0]!.linkedAt;
    await new Promise((r) => setTimeout(r, 20));
    await post(signedProxyQuery({ ...base, logged_in_customer_id: CUSTOMER, timestamp: nowSeconds() }), { uuid: "v-1" });
    const second = (await links())[0]!.linkedAt;
    expect(second.getTime()).toBeGreaterThan(first.getTime());
    await new Promise((r) => setTimeout(r, 20));
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "", timestamp: nowSeconds() }), { uuid: "v-1" });
    expect(res.status).toBe(200);
    const [after] = await links();
    expect(after!.customerId).toBe(CUSTOMER);
    expect(after!.linkedAt).toEqual(second);
    expect(await h.app.ctx.db.recipientLink.count()).toBe(1);
  });

  it("a logged-out re-post of an operator's link by email neither takes it over nor reopens its window", async () => {
    const at = new Date(Date.now() - 3 * 24 * 3600_000);
    await h.app.ctx.links.link(SHOP, "imported", { email: "victim@example.com" }, at, "cli");
    expect((await post(signedProxyQuery({ ...base, logged_in_customer_id: "", timestamp: nowSeconds() }), { uuid: "imported" })).status).toBe(200);
    expect(await h.app.ctx.links.find(SHOP, "imported")).toEqual({
      uuid: "imported",
      customerId: null,
      email: "victim@example.com",
      phone: null,
      linkedAt: at,
      source: "cli",
      optInPage: null,
    });
  });

  it("keeps the storefront page of the click, its path only; a page that is no path is dropped, the click still linked", async () => {
    const click = (uuid: string, page: unknown) => post(signedProxyQuery({ ...base, logged_in_customer_id: "", timestamp: nowSeconds() }), { uuid, page });
    expect((await click("from-cart", "/cart")).status).toBe(200);
    expect((await h.app.ctx.links.find(SHOP, "from-cart"))!.optInPage).toBe("/cart");
    for (const [uuid, page] of [
      ["odd-1", "https://evil.example/x"],
      ["odd-2", "/cart?token=secret"],
      ["odd-3", `/${"a".repeat(400)}`],
      ["odd-4", 42],
    ] as const) {
      expect((await click(uuid, page)).status).toBe(200);
      expect(await h.app.ctx.links.find(SHOP, uuid)).toMatchObject({ uuid, optInPage: null });
    }
  });

  it("a uuid belongs to one customer per shop: another customer linking it takes it over", async () => {
    await h.app.ctx.links.link(SHOP, "shared-device", { customerId: "1", email: "one@example.com" }, new Date());
    await post(signedProxyQuery({ ...base, logged_in_customer_id: "2", timestamp: nowSeconds() }), { uuid: "shared-device" });
    expect((await links()).map((l) => [l.uuid, l.customerId, l.email])).toEqual([["shared-device", "2", null]]);
    expect(await h.app.ctx.links.newestFor(SHOP, { email: "one@example.com" })).toBeNull();
  });

  it("unlinks when the storefront asks", async () => {
    await post(signedProxyQuery({ ...base, logged_in_customer_id: "5", timestamp: nowSeconds() }), { uuid: "v-1" });
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "5", timestamp: nowSeconds() }), { uuid: "v-1", action: "unlink" });
    expect(await res.json()).toEqual({ ok: true, unlinked: true });
    expect(await links()).toEqual([]);
  });

  it("rate-limits one client per shop with 429, and another shop's allowance is its own", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await post(signedProxyQuery({ ...base, timestamp: nowSeconds() }), { uuid: `r-${i}` })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429]);
    expect(await h.app.ctx.db.recipientLink.count()).toBe(30);
    const other = await post(signedProxyQuery({ shop: "other-store.myshopify.com", path_prefix: "/apps/joinchat", timestamp: nowSeconds() }), { uuid: "o-1" });
    expect(other.status).toBe(200);
  });
});

describe("app proxy: a signed query and its body, and the rate limit's key", () => {
  let h: Harness;
  afterEach(() => h.close());
  const links = () => h.app.ctx.db.recipientLink.findMany({ orderBy: { uuid: "asc" } });
  const post = (query: string, body: unknown, xff?: string) =>
    fetch(`${h.url}/proxy/link?${query}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(xff ? { "x-forwarded-for": xff } : {}) },
      body: JSON.stringify(body),
    });

  it("a signed query carries the first uuid posted with it only: another uuid on it within the window is refused and nothing moves", async () => {
    h = await startHarness({}, { background: false });
    const victimsQuery = signedProxyQuery({ ...base, logged_in_customer_id: CUSTOMER, timestamp: nowSeconds() });
    expect((await post(victimsQuery, { uuid: "victim-uuid" })).status).toBe(200);
    // The storefront's retry of the same click is fine.
    expect((await post(victimsQuery, { uuid: "victim-uuid" })).status).toBe(200);
    const swapped = await post(victimsQuery, { uuid: "attacker-uuid" });
    expect(swapped.status).toBe(401);
    expect(((await swapped.json()) as { error: string }).error).toMatch(/already used for another uuid/);
    expect((await post(victimsQuery, { uuid: "attacker-uuid", action: "unlink" })).status).toBe(401);
    expect((await links()).map((l) => [l.uuid, l.customerId])).toEqual([["victim-uuid", CUSTOMER]]);
  });

  it("refuses a query whose signature is given twice with 401 and the reason, and logs no crash", async () => {
    const lines: string[] = [];
    h = await startHarness({}, { background: false, log: pino({ level: "info" }, { write: (line: string) => void lines.push(line) }) });
    const query = signedProxyQuery({ ...base, logged_in_customer_id: CUSTOMER, timestamp: nowSeconds() });
    const twice = `${query}&signature=${new URLSearchParams(query).get("signature")}`;
    const res = await post(twice, { uuid: "v" });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/signature given more than once/);
    expect(lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
    expect(await links()).toEqual([]);
  });

  it("expired bindings are deleted by the hourly retention pass; live ones stay", async () => {
    h = await startHarness({}, { background: false });
    const now = h.app.ctx.clock.now();
    expect(await h.app.ctx.proxyBindings.bind("old-signature", "u-old", new Date(now.getTime() - 1_000), now)).toBe(true);
    expect(await h.app.ctx.proxyBindings.bind("live-signature", "u-live", new Date(now.getTime() + 60_000), now)).toBe(true);
    await h.app.retention!.runOnce();
    expect((await h.app.ctx.db.proxyBinding.findMany()).map((b) => b.uuid)).toEqual(["u-live"]);
    // An expired binding no longer holds its query, even before it is deleted.
    expect(await h.app.ctx.proxyBindings.bind("live-signature", "u-other", new Date(now.getTime() + 200_000), new Date(now.getTime() + 61_000))).toBe(true);
  });

  it("rotating the X-Forwarded-For entries a client writes does not escape the rate limit (TRUST_PROXY=1: the entry the proxy wrote)", async () => {
    h = await startHarness({ TRUST_PROXY: "1" }, { background: false });
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++)
      statuses.push((await post(signedProxyQuery({ ...base, timestamp: nowSeconds(), n: String(i) }), { uuid: `x-${i}` }, `10.9.${i}.1, 203.0.113.5`)).status);
    expect(statuses.slice(30)).toEqual([429, 429, 429]);
    // Another visitor, as the proxy reports them, has an allowance of their own.
    expect((await post(signedProxyQuery({ ...base, timestamp: nowSeconds() }), { uuid: "y-1" }, "203.0.113.6")).status).toBe(200);
  });

  it("by default (TRUST_PROXY=0) a client reaching the app directly cannot pick its address: no X-Forwarded-For entry is believed, the connection's address is the key", async () => {
    h = await startHarness({}, { background: false });
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await post(signedProxyQuery({ ...base, timestamp: nowSeconds(), n: String(i) }), { uuid: `z-${i}` }, `203.0.113.${i + 1}`)).status);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});

describe("identity comes only from the signed customer id or an operator, never from what a checkout typed", () => {
  const h = harnessPerTest({}, { background: false }, configureShop);
  const links = () => h.app.ctx.db.recipientLink.findMany({ orderBy: { uuid: "asc" } });
  // Each opt-in its own request through Shopify's proxy (its own signature, even within a second).
  const optIn = (uuid: string, customer: string) =>
    fetch(`${h.url}/proxy/link?${signedProxyQuery({ shop: SHOP, path_prefix: "/apps/joinchat", logged_in_customer_id: customer, timestamp: nowSeconds(), click: uuid })}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ uuid }),
    });
  const guestCheckout = (uuid: string, email: string) =>
    editFixture("checkouts-create.json", (c) => {
      c.customer = null;
      c.email = email;
      c.note_attributes = [{ name: "joinchat_uuid", value: uuid }];
    });
  const receipts = () => h.standIn.messages.filter((m) => m.body.message.template_type === "receipt").map((m) => m.body.recipient);

  it("an attacker's logged-out opt-in and guest checkout with the victim's email do not redirect the victim's receipts", async () => {
    const VICTIM_EMAIL = "alan@example.com"; // the email of orders-create.json's customer
    expect((await optIn("victim-uuid", CUSTOMER)).status).toBe(200);
    expect((await optIn("attacker-uuid", "")).status).toBe(200);
    // The attacker's guest checkout types the victim's email, with the attacker's uuid in the cart;
    // Shopify may even file it under the victim's customer record.
    await postWebhook(h.url, guestCheckout("attacker-uuid", VICTIM_EMAIL), { topic: "checkouts/create" });
    const filedUnderVictim = editFixture("checkouts-create.json", (c) => {
      c.token = "attacker-checkout-2";
      c.customer.id = new LosslessNumber(CUSTOMER);
      c.customer.email = VICTIM_EMAIL;
      c.email = VICTIM_EMAIL;
      c.note_attributes = [{ name: "joinchat_uuid", value: "attacker-uuid" }];
    });
    await postWebhook(h.url, filedUnderVictim, { topic: "checkouts/create" });
    await drain(h);
    expect((await links()).map((l) => [l.uuid, l.customerId, l.email])).toEqual([
      ["attacker-uuid", null, null],
      ["victim-uuid", CUSTOMER, null],
    ]);

    // The victim orders twice, logged in: once from the device they opted in on, once from another.
    const first = editFixture("orders-create.json", (o) => {
      o.note_attributes = [{ name: "joinchat_uuid", value: "victim-uuid" }];
    });
    const second = editFixture("orders-create.json", (o) => {
      o.id = new LosslessNumber("5798419284012");
      o.name = "#1055";
      o.note_attributes = [];
    });
    expect(JSON.parse(first).customer).toMatchObject({ id: Number(CUSTOMER), email: VICTIM_EMAIL });
    await postWebhook(h.url, first, { topic: "orders/create" });
    await postWebhook(h.url, second, { topic: "orders/create" });
    await drain(h);
    expect(receipts()).toEqual([{ uuid: "victim-uuid" }, { uuid: "victim-uuid" }]);
    expect(h.standIn.messages.some((m) => (m.body.recipient as { uuid?: string }).uuid === "attacker-uuid" && m.body.message.template_type === "receipt")).toBe(false);
    expect((await links()).map((l) => [l.uuid, l.customerId, l.email])).toEqual([
      ["attacker-uuid", null, null],
      ["victim-uuid", CUSTOMER, null],
    ]);
  });

  it("a guest's anonymous opt-in reaches their own checkout, but the account they create later is not reached through it", async () => {
    expect((await optIn("anon-e", "")).status).toBe(200);
    await postWebhook(h.url, guestCheckout("anon-e", "Guest@Example.com"), { topic: "checkouts/create" });
    while ((await h.app.processor!.runOnce()) > 0);
    const recalls = await h.app.ctx.db.delivery.findMany({ where: { automation: "abandoned" } });
    expect(recalls.length).toBeGreaterThan(0);
    expect(recalls.every((d) => JSON.parse(d.recipient).uuid === "anon-e")).toBe(true);
    expect((await links()).map((l) => [l.uuid, l.customerId, l.email])).toEqual([["anon-e", null, null]]);

    const customer = editFixture("customers-create.json", (c) => {
      c.id = new LosslessNumber(BIG_CUSTOMER);
      c.email = "guest@example.com";
      c.phone = null;
    });
    await postWebhook(h.url, customer, { topic: "customers/create" });
    while ((await h.app.processor!.runOnce()) > 0);
    const [event] = await h.app.ctx.db.webhookEvent.findMany({ where: { topic: "customers/create" } });
    expect(event!.note).toMatch(/no recipient: customer has no JoinChat link/);
  });

  it("customers/redact removes every link of that customer (made by the storefront or the CLI by id, email or phone), and no one else's", async () => {
    await optIn("phone-uuid", CUSTOMER);
    await optIn("laptop-uuid", CUSTOMER);
    await optIn("someone-else", "42");
    await optIn("cart-uuid", "");
    await h.app.ctx.links.link(SHOP, "imported-by-phone", { phone: "+852 0000 0000" }, new Date(), "cli");
    await h.app.ctx.links.link(SHOP, "imported-by-email", { email: "Alan@Example.com" }, new Date(), "cli");
    const order = editFixture("orders-create.json", (o) => {
      o.note_attributes = [{ name: "joinchat_uuid", value: "cart-uuid" }];
    });
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    expect((await links()).filter((l) => l.customerId === CUSTOMER).map((l) => l.uuid)).toEqual(["laptop-uuid", "phone-uuid"]);

    const redact = JSON.stringify({
      shop_id: 91740864812,
      shop_domain: SHOP,
      customer: { id: Number(CUSTOMER), email: "ALAN@example.com", phone: "+85200000000" },
      orders_to_redact: [],
    });
    expect((await postWebhook(h.url, redact, { topic: "customers/redact" })).status).toBe(200);
    await h.app.processor!.runOnce();
    // The anonymous uuid their order's cart carried goes too: it was the browser they ordered from.
    expect((await links()).map((l) => l.uuid)).toEqual(["someone-else"]);
  });
});

describe("app proxy /proxy/config (the storefront script's settings)", () => {
  const h = harnessPerTest({}, { background: false });

  it("answers the JoinChat SDK URL set in the admin to a signed request, and refuses an unsigned one", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { sdkUrl: "https://sdk.joinchat.test/v1/sdk.js" } });
    const signed = await fetch(`${h.url}/proxy/config?${signedProxyQuery({ ...base, logged_in_customer_id: "", timestamp: nowSeconds() })}`);
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ sdkUrl: "https://sdk.joinchat.test/v1/sdk.js" });
    const forged = await fetch(`${h.url}/proxy/config?shop=${SHOP}&timestamp=${nowSeconds()}&signature=${"0".repeat(64)}`);
    expect(forged.status).toBe(401);
  });
});

/**
 * Two web processes on one database, as behind a load balancer: the shopper's click reaches one,
 * the thief's replay of its signed query another.
 */
function replayAcrossProcesses(database: () => Promise<Record<string, string>>) {
  let first: Harness;
  let second: RunningApp;
  beforeEach(async () => {
    first = await startHarness(await database(), { background: false });
    second = await startTestApp(testConfig({ DATABASE_URL: first.app.ctx.config.DATABASE_URL }), { background: false });
  });
  afterEach(async () => {
    await second.stop();
    await first.close();
  });
  const post = (url: string, query: string, uuid: string) =>
    fetch(`${url}/proxy/link?${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ uuid }) });

  it("a signed query posted with the shopper's uuid to one process is refused with another uuid on the other; the same uuid again is accepted there", async () => {
    const query = signedProxyQuery({ ...base, logged_in_customer_id: CUSTOMER, timestamp: nowSeconds() });
    expect((await post(first.url, query, "shopper-uuid")).status).toBe(200);
    const stolen = await post(second.url!, query, "thief-uuid");
    expect(stolen.status).toBe(401);
    expect(((await stolen.json()) as { error: string }).error).toMatch(/already used for another uuid/);
    expect((await post(second.url!, query, "shopper-uuid")).status).toBe(200);
    const links = await first.app.ctx.db.recipientLink.findMany();
    expect(links.map((l) => [l.uuid, l.customerId])).toEqual([["shopper-uuid", CUSTOMER]]);
  });

  it("two processes taking the same signed query at once with different uuids: one uuid wins, everywhere", async () => {
    const query = signedProxyQuery({ ...base, logged_in_customer_id: CUSTOMER, timestamp: nowSeconds() });
    const statuses = await Promise.all([post(first.url, query, "uuid-a"), post(second.url!, query, "uuid-b")].map(async (r) => (await r).status));
    expect(statuses.sort()).toEqual([200, 401]);
    expect(await first.app.ctx.db.recipientLink.count()).toBe(1);
  });
}

describe("app proxy: a signed query's uuid holds across processes, SQLite", () => replayAcrossProcesses(async () => ({})));
describePostgres("app proxy: a signed query's uuid holds across processes, PostgreSQL", () => replayAcrossProcesses(async () => ({ DATABASE_URL: await freshPostgresUrl() })));
