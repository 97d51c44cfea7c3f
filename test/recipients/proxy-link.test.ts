import { startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { nowSeconds, signedProxyQuery } from "../helpers/proxy";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, postWebhook } from "../helpers/webhooks";
import { LosslessNumber } from "lossless-json";
import { resolveRecipient } from "../../src/recipients/resolver";

// Every signature in this file is computed by test/helpers/proxy.ts from Shopify's documented
// algorithm, never by the code under test.
const base = { shop: SHOP, path_prefix: "/apps/joinchat" };
const CUSTOMER = "8658316394796";
const BIG_CUSTOMER = "9007199254740993017";

describe("app proxy /proxy/link", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({}, { background: false });
  });
  afterEach(() => h.close());
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

  it("links nothing for a genuinely signed query without a timestamp", async () => {
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "1" }), { uuid: "v" });
    expect(res.status).toBe(400);
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

  it("re-linking a uuid refreshes linkedAt (a new click reopens the window) and an anonymous click keeps its customer", async () => {
    await post(signedProxyQuery({ ...base, logged_in_customer_id: CUSTOMER, timestamp: nowSeconds() }), { uuid: "v-1" });
    const first = (await links())[0]!.linkedAt;
    await new Promise((r) => setTimeout(r, 20));
    await post(signedProxyQuery({ ...base, logged_in_customer_id: "", timestamp: nowSeconds() }), { uuid: "v-1" });
    const [again] = await links();
    expect(again!.customerId).toBe(CUSTOMER);
    expect(again!.linkedAt.getTime()).toBeGreaterThan(first.getTime());
    expect(await h.app.ctx.db.recipientLink.count()).toBe(1);
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

describe("anonymous links attached later, and customers/redact", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({}, { background: false });
    await configureShop(h);
  });
  afterEach(() => h.close());
  const links = () => h.app.ctx.db.recipientLink.findMany({ orderBy: { uuid: "asc" } });
  const linkAnonymously = (uuid: string) =>
    fetch(`${h.url}/proxy/link?${signedProxyQuery({ shop: SHOP, path_prefix: "/apps/joinchat", logged_in_customer_id: "", timestamp: nowSeconds() })}`, {
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

  it("an anonymous link is attached by email through a guest checkout's cart attribute, then found by that email and attached to the new customer", async () => {
    expect((await linkAnonymously("anon-e")).status).toBe(200);
    const linkedAt = (await links())[0]!.linkedAt;

    await postWebhook(h.url, guestCheckout("anon-e", "Guest@Example.com"), { topic: "checkouts/create" });
    while ((await h.app.processor!.runOnce()) > 0);
    expect((await links()).map((l) => [l.uuid, l.customerId, l.email])).toEqual([["anon-e", null, "guest@example.com"]]);

    const shop = (await h.app.ctx.shops.find(SHOP))!;
    const byEmail = await resolveRecipient(h.app.ctx, shop, { customerId: null, email: "guest@example.com", phone: null, noteAttributes: null });
    expect(byEmail).toEqual({ recipient: { uuid: "anon-e" }, windowOpenedAt: linkedAt, via: "customer link" });

    // The guest creates an account with that email: the welcome message reaches the uuid, inside the window.
    const customer = editFixture("customers-create.json", (c) => {
      c.id = new LosslessNumber(BIG_CUSTOMER); // beyond 2^53: must stay exact end to end
      c.email = "guest@example.com";
      c.phone = null;
    });
    await postWebhook(h.url, customer, { topic: "customers/create" });
    await drain(h);
    expect((await links()).map((l) => [l.uuid, l.customerId])).toEqual([["anon-e", BIG_CUSTOMER]]);
    expect(h.standIn.messages.filter((m) => m.body.message.template_type === "button").map((m) => m.body.recipient)).toEqual([{ uuid: "anon-e" }]);
  });

  it("customers/redact removes every link of that customer (made by the storefront, the cart attribute, the CLI), and no one else's", async () => {
    const proxy = (uuid: string, customer: string) =>
      fetch(`${h.url}/proxy/link?${signedProxyQuery({ shop: SHOP, path_prefix: "/apps/joinchat", logged_in_customer_id: customer, timestamp: nowSeconds() })}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ uuid }),
      });
    await proxy("phone-uuid", CUSTOMER);
    await proxy("laptop-uuid", CUSTOMER);
    await proxy("someone-else", "42");
    await linkAnonymously("cart-uuid");
    await h.app.ctx.links.link(SHOP, "imported-by-phone", { phone: "+852 0000 0000" }, new Date(), "cli");
    // The customer's order carried the anonymous uuid in its cart attribute: it becomes theirs;
    // the link imported by their phone is attached to their id on the way.
    const order = editFixture("orders-create.json", (o) => {
      o.note_attributes = [{ name: "joinchat_uuid", value: "cart-uuid" }];
    });
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    expect((await links()).filter((l) => l.customerId === CUSTOMER).map((l) => l.uuid)).toEqual(["cart-uuid", "imported-by-phone", "laptop-uuid", "phone-uuid"]);

    // Known only by email (imported after the order, so never attached to the id): redact finds it by email, whatever its case.
    await h.app.ctx.links.link(SHOP, "imported-by-email", { email: "Alan@Example.com" }, new Date(), "cli");
    const redact = JSON.stringify({ shop_id: 91740864812, shop_domain: SHOP, customer: { id: Number(CUSTOMER), email: "ALAN@example.com", phone: "+85200000000" }, orders_to_redact: [] });
    expect((await postWebhook(h.url, redact, { topic: "customers/redact" })).status).toBe(200);
    await h.app.processor!.runOnce();
    expect((await links()).map((l) => l.uuid)).toEqual(["someone-else"]);
  });
});

describe("app proxy /proxy/config (the storefront script's settings)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({}, { background: false });
  });
  afterEach(() => h.close());

  it("answers the JoinChat SDK URL set in the admin to a signed request, and refuses an unsigned one", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { sdkUrl: "https://sdk.joinchat.test/v1/sdk.js" } });
    const signed = await fetch(`${h.url}/proxy/config?${signedProxyQuery({ ...base, logged_in_customer_id: "", timestamp: nowSeconds() })}`);
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ sdkUrl: "https://sdk.joinchat.test/v1/sdk.js" });
    const forged = await fetch(`${h.url}/proxy/config?shop=${SHOP}&timestamp=${nowSeconds()}&signature=${"0".repeat(64)}`);
    expect(forged.status).toBe(401);
  });
});
