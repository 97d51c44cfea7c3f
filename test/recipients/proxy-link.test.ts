import { startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { nowSeconds, signedProxyQuery } from "../helpers/proxy";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";
import { runCli } from "../helpers/cli";

const base = { shop: SHOP, path_prefix: "/apps/joinchat" };

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
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "8658316394796", timestamp: nowSeconds() }), { uuid: "visitor-1" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, linked: "customer" });
    const [link] = await links();
    expect(link).toMatchObject({ shopDomain: SHOP, uuid: "visitor-1", customerId: "8658316394796" });
    expect(link!.linkedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("accepts the GET form with ?uuid= too", async () => {
    const res = await fetch(`${h.url}/proxy/link?${signedProxyQuery({ ...base, uuid: "visitor-g", logged_in_customer_id: "", timestamp: nowSeconds() })}`);
    expect(res.status).toBe(200);
    expect((await links()).map((l) => [l.uuid, l.customerId])).toEqual([["visitor-g", null]]);
  });

  it("links nothing for a forged signature", async () => {
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "1", timestamp: nowSeconds() }, "not-the-app-secret"), { uuid: "v" });
    expect(res.status).toBe(401);
    expect(await links()).toEqual([]);
  });

  it("links nothing for an unsigned request", async () => {
    const res = await post(new URLSearchParams({ ...base, timestamp: nowSeconds() }).toString(), { uuid: "v" });
    expect(res.status).toBe(401);
    expect(await links()).toEqual([]);
  });

  it("links nothing for a two-day-old request, genuine signature or not", async () => {
    const old = String(Math.floor(Date.now() / 1000) - 2 * 24 * 3600);
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "1", timestamp: old }), { uuid: "v" });
    expect(res.status).toBe(401);
    expect(await links()).toEqual([]);
  });

  it("refuses a uuid that is not one, and links nothing", async () => {
    const res = await post(signedProxyQuery({ ...base, timestamp: nowSeconds() }), { uuid: "<script>" });
    expect(res.status).toBe(400);
    expect(await links()).toEqual([]);
  });

  it("keeps an anonymous link, which a guest order's joinchat_uuid then reaches and attaches to the customer", async () => {
    await configureShop(h);
    await post(signedProxyQuery({ ...base, logged_in_customer_id: "", timestamp: nowSeconds() }), { uuid: "anon-1" });
    expect((await links())[0]!.customerId).toBeNull();
    const order = fixture("orders-create.json").replace('"note_attributes": []', '"note_attributes": [{"name": "joinchat_uuid", "value": "anon-1"}]');
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.messages.map((m) => m.body.recipient)).toEqual([{ uuid: "anon-1" }]);
    expect((await links())[0]!.customerId).toBe("8658316394796");
  });

  it("unlinks when the storefront asks", async () => {
    await post(signedProxyQuery({ ...base, logged_in_customer_id: "5", timestamp: nowSeconds() }), { uuid: "v-1" });
    const res = await post(signedProxyQuery({ ...base, logged_in_customer_id: "5", timestamp: nowSeconds() }), { uuid: "v-1", action: "unlink" });
    expect(await res.json()).toEqual({ ok: true, unlinked: true });
    expect(await links()).toEqual([]);
  });

  it("rate-limits one client per shop", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await post(signedProxyQuery({ ...base, timestamp: nowSeconds() }), { uuid: `r-${i}` })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429]);
  });
});

describe("resolving a recipient", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({}, { background: false });
    await configureShop(h);
  });
  afterEach(() => h.close());

  it("uses the customer's newest link when they have several devices", async () => {
    const { resolveRecipient } = await import("../../src/recipients/resolver");
    await h.app.ctx.links.link(SHOP, "old-phone", { customerId: "7" }, new Date(Date.now() - 60_000));
    await h.app.ctx.links.link(SHOP, "new-laptop", { customerId: "7" }, new Date());
    const shop = (await h.app.ctx.shops.find(SHOP))!;
    const r = await resolveRecipient(h.app.ctx, shop, { customerId: "7", email: null, phone: null, noteAttributes: null });
    expect(r.recipient).toEqual({ uuid: "new-laptop" });
  });

  it("falls back to email or phone recipients only where the shop opted in, else says why", async () => {
    const { resolveRecipient } = await import("../../src/recipients/resolver");
    const ref = { customerId: "9", email: "a@example.com", phone: "+85200000000", noteAttributes: null };
    let shop = (await h.app.ctx.shops.find(SHOP))!;
    const none = await resolveRecipient(h.app.ctx, shop, ref);
    expect(none.recipient).toBeNull();
    expect("reason" in none && none.reason).toMatch(/no JoinChat link/);
    shop = await h.app.ctx.shops.upsert(SHOP, { settings: { recipientOptIn: { email: false, phone: true } } });
    expect((await resolveRecipient(h.app.ctx, shop, ref)).recipient).toEqual({ phone: "+85200000000" });
    shop = await h.app.ctx.shops.upsert(SHOP, { settings: { recipientOptIn: { email: true, phone: true } } });
    expect((await resolveRecipient(h.app.ctx, shop, ref)).recipient).toEqual({ email: "a@example.com" });
  });
});

describe("link:add CLI", () => {
  it("links a uuid to a customer by email, and refuses two targets at once", async () => {
    const { freshSqliteUrl } = await import("../helpers/db");
    const env = { DATABASE_URL: freshSqliteUrl() };
    const ok = await runCli(["link:add", "--shop", SHOP, "--uuid", "cli-uuid", "--email", "a@example.com"], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("cli-uuid linked");
    const bad = await runCli(["link:add", "--shop", SHOP, "--uuid", "u", "--email", "a@example.com", "--phone", "+8520000"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("error: give exactly one of --customer-id, --email or --phone");
  });
});
