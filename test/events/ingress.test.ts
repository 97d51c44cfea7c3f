import { harnessPerTest, startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";

describe("POST /webhooks ingress", () => {
  const h = harnessPerTest({}, { background: false });
  const stored = () => h.app.ctx.db.webhookEvent.count();

  it("refuses a forged signature with 401 and stores nothing", async () => {
    const res = await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create", secret: "someone-elses-secret" });
    expect(res.status).toBe(401);
    expect(await stored()).toBe(0);
  });

  it("refuses a missing signature with 401 and stores nothing", async () => {
    const res = await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create", hmac: null });
    expect(res.status).toBe(401);
    expect(await stored()).toBe(0);
  });

  it("refuses a body changed after signing", async () => {
    const body = fixture("orders-create.json");
    const good = await postWebhook(h.url, body, { topic: "orders/create", hmac: null }).then(() => null);
    expect(good).toBeNull();
    const crypto = await import("node:crypto");
    const hmac = crypto.createHmac("sha256", "shpss_test_secret").update(body).digest("base64");
    const res = await postWebhook(h.url, body.replace("1054", "1055"), { topic: "orders/create", hmac });
    expect(res.status).toBe(401);
    expect(await stored()).toBe(0);
  });

  it("answers malformed JSON with 400 and stores nothing", async () => {
    const res = await postWebhook(h.url, '{"id": 1,', { topic: "orders/create" });
    expect(res.status).toBe(400);
    expect(await stored()).toBe(0);
  });

  it("answers a body over the limit with 413 and stores nothing", async () => {
    const huge = JSON.stringify({ note: "x".repeat(3 * 1024 * 1024) });
    const res = await postWebhook(h.url, huge, { topic: "orders/create" });
    expect(res.status).toBe(413);
    expect(await stored()).toBe(0);
  });

  it("stores the same event delivered 5 times once, and processes it once", async () => {
    const body = fixture("customers-create.json");
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => postWebhook(h.url, body, { topic: "customers/redact", eventId: "evt-1", webhookId: `wh-${i}` })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const dup = (await Promise.all(answers.map((a) => a.json()))) as { duplicate: boolean }[];
    expect(dup.filter((d) => d.duplicate === false)).toHaveLength(1);
    expect(await stored()).toBe(1);
    expect(await h.app.processor!.runOnce()).toBe(1);
    expect(await h.app.processor!.runOnce()).toBe(0);
    const again = await postWebhook(h.url, body, { topic: "customers/redact", eventId: "evt-1" });
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(await h.app.processor!.runOnce()).toBe(0);
  });

  it("falls back to X-Shopify-Webhook-Id when there is no event id", async () => {
    const body = fixture("customers-create.json");
    await postWebhook(h.url, body, { topic: "customers/create", eventId: null, webhookId: "wh-same" });
    await postWebhook(h.url, body, { topic: "customers/create", eventId: null, webhookId: "wh-same" });
    expect(await stored()).toBe(1);
  });

  it("stores once the event a leftover shop-specific subscription delivers beside the app-specific one (same event id, other webhook id)", async () => {
    const body = fixture("customers-create.json");
    const first = await postWebhook(h.url, body, { topic: "customers/create", eventId: "evt-7", webhookId: "wh-app-specific" });
    const second = await postWebhook(h.url, body, { topic: "customers/create", eventId: "evt-7", webhookId: "wh-shop-specific" });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(((await second.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(await stored()).toBe(1);
  });

  it("de-duplicates per shop and topic: one event id under two topics, or in two shops, is stored for each", async () => {
    const body = fixture("orders-create.json");
    await postWebhook(h.url, body, { topic: "orders/create", eventId: "evt-9" });
    await postWebhook(h.url, body, { topic: "orders/paid", eventId: "evt-9" });
    // The other shop's order names that shop (the ingress refuses a body naming another shop than its header).
    await postWebhook(h.url, body.replaceAll("demo-store.myshopify.com", "other-store.myshopify.com"), {
      topic: "orders/paid",
      eventId: "evt-9",
      shop: "other-store.myshopify.com",
    });
    await postWebhook(h.url, body, { topic: "orders/paid", eventId: "evt-9", webhookId: "wh-retry" });
    expect(await stored()).toBe(3);
  });

  it("falls back to X-Shopify-Webhook-Id per topic too when there is no event id", async () => {
    const body = fixture("orders-create.json");
    await postWebhook(h.url, body, { topic: "orders/create", eventId: null, webhookId: "wh-1" });
    await postWebhook(h.url, body, { topic: "orders/create", eventId: null, webhookId: "wh-1" });
    await postWebhook(h.url, body, { topic: "orders/create", eventId: null, webhookId: "wh-2" });
    expect(await stored()).toBe(2);
  });

  it("acknowledges an unknown topic and records it as skipped, without its body", async () => {
    const res = await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/update" });
    expect(res.status).toBe(200);
    const row = await h.app.ctx.db.webhookEvent.findFirstOrThrow();
    expect(row.state).toBe("skipped");
    expect(row.note).toMatch(/not handled/);
    expect(await h.app.ctx.db.webhookPayload.count()).toBe(0);
    // Still de-duplicated by its row.
    expect(await (await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/update", eventId: row.eventKey })).json()).toEqual({ ok: true, duplicate: true });
  });

  it("acknowledges an event of a shop with no JoinChat settings and records it as skipped", async () => {
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create", shop: "unknown-shop.myshopify.com" });
    await h.app.processor!.runOnce();
    const row = await h.app.ctx.db.webhookEvent.findFirstOrThrow();
    expect(row.state).toBe("skipped");
    expect(row.note).toMatch(/shop not configured/);
  });

  it("keeps ids beyond 2^53 exact when it processes an event", async () => {
    await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
    await h.app.processor!.runOnce();
    const row = await h.app.ctx.db.webhookEvent.findFirstOrThrow();
    expect(row.customerId).toBe("603851970716743426");
  });

  it("refuses webhooks while SHOPIFY_API_SECRET is not set, and stores nothing", async () => {
    await h.close();
    Object.assign(h, await startHarness({ SHOPIFY_API_SECRET: "" }, { background: false }));
    const res = await postWebhook(h.url, "{}", { topic: "orders/create" });
    expect(res.status).toBe(503);
    expect(await stored()).toBe(0);
  });
});

describe("a webhook's shop: the header held to the shop its body names", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({}, { background: false });
    await configureShop(h);
    await h.app.ctx.links.link(SHOP, "kept-uuid", { customerId: "1" }, new Date());
  });
  afterEach(() => h.close());
  const OTHER = "other-store.myshopify.com";
  const unchanged = async () => {
    expect(await h.app.ctx.db.webhookEvent.count()).toBe(0);
    expect(await h.app.ctx.shops.find(SHOP)).not.toBeNull();
    expect(await h.app.ctx.links.find(SHOP, "kept-uuid")).not.toBeNull();
  };

  it("refuses a compliance webhook whose body names another shop than its header with 401, and changes nothing", async () => {
    // A genuine shop/redact of another shop, replayed with this shop's header.
    const shopRedact = JSON.stringify({ shop_id: 1, shop_domain: OTHER });
    const customerRedact = JSON.stringify({ shop_id: 1, shop_domain: OTHER, customer: { id: 1, email: "a@example.com", phone: null }, orders_to_redact: [] });
    for (const [topic, body] of [
      ["shop/redact", shopRedact],
      ["customers/redact", customerRedact],
      ["customers/data_request", customerRedact],
    ] as const) {
      const res = await postWebhook(h.url, body, { topic, shop: SHOP });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(/names another shop than X-Shopify-Shop-Domain/);
    }
    const uninstalled = await postWebhook(h.url, JSON.stringify({ id: 1, myshopify_domain: OTHER }), { topic: "app/uninstalled", shop: SHOP });
    expect(uninstalled.status).toBe(401);
    await h.app.processor!.runOnce();
    await unchanged();
    expect((await h.app.ctx.shops.find(SHOP))!.uninstalledAt).toBeNull();
  });

  it("refuses an order whose order_status_url is another shop's, and takes one on the shop's own domain or a custom domain", async () => {
    expect((await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create", shop: OTHER })).status).toBe(401);
    await unchanged();
    expect((await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create", shop: SHOP })).status).toBe(200);
    const custom = editFixture("orders-create.json", (o) => {
      o.order_status_url = "https://www.example-shop.com/91740864812/orders/a1/authenticate?key=k";
    });
    expect((await postWebhook(h.url, custom, { topic: "orders/paid", shop: OTHER })).status).toBe(200);
  });

  it("acknowledges a shop/redact or app/uninstalled older than Shopify's retry horizon and ignores it with a note", async () => {
    const sixHoursAgo = new Date(Date.now() - 6 * 3600_000).toISOString();
    for (const [topic, body] of [
      ["shop/redact", { shop_id: 1, shop_domain: SHOP }],
      ["app/uninstalled", { id: 1, myshopify_domain: SHOP }],
    ] as const) {
      const res = await postWebhook(h.url, JSON.stringify(body), { topic, shop: SHOP, triggeredAt: sixHoursAgo });
      expect(res.status).toBe(200);
    }
    await h.app.processor!.runOnce();
    const rows = await h.app.ctx.db.webhookEvent.findMany({ orderBy: { topic: "asc" } });
    expect(rows.map((r) => [r.topic, r.state])).toEqual([
      ["app/uninstalled", "skipped"],
      ["shop/redact", "skipped"],
    ]);
    expect(rows.every((r) => /longer ago than Shopify retries a webhook/.test(r.note ?? ""))).toBe(true);
    expect(await h.app.ctx.db.webhookPayload.count()).toBe(0);
    expect((await h.app.ctx.shops.find(SHOP))!.uninstalledAt).toBeNull();
    expect(await h.app.ctx.links.find(SHOP, "kept-uuid")).not.toBeNull();
  });
});
