import { harnessPerTest, startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";
import type { ButtonMessage } from "../../src/messages/schema";

/** A fulfillments/create payload as Shopify documents it (the fixtures hold none). */
function fulfillment(o: { tracking_url?: string | null; tracking_number?: string | null } = {}) {
  return JSON.stringify({
    id: 4075788173396,
    order_id: 6198432301356,
    status: "success",
    created_at: "2025-01-24T10:00:00-05:00",
    service: "manual",
    tracking_company: "SF Express",
    shipment_status: null,
    email: "alan@example.com",
    destination: null,
    tracking_number: o.tracking_number === undefined ? "SF1234567890" : o.tracking_number,
    tracking_numbers: o.tracking_number === null ? [] : ["SF1234567890"],
    tracking_url: o.tracking_url === undefined ? "https://www.sf-express.com/track?no=SF1234567890" : o.tracking_url,
    tracking_urls: o.tracking_url === null ? [] : ["https://www.sf-express.com/track?no=SF1234567890"],
    receipt: {},
    name: "#1054.1",
    line_items: [],
  });
}

describe("welcome coupon (customers/create)", () => {
  const h = harnessPerTest({}, { background: false }, configureShop);

  it("sends an untagged button message with the coupon and a link that applies it", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-alan", { email: "alan@example.com" }, new Date());
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    const body = h.standIn.messages[0]!.body;
    expect(body.tag).toBeUndefined();
    expect(body.recipient).toEqual({ uuid: "uuid-alan" });
    const m = body.message as ButtonMessage;
    expect(m.template_type).toBe("button");
    expect(m.text).toContain("WELCOME10");
    expect(m.text).toContain("Alan");
    expect(m.buttons).toEqual([{ type: "web_url", title: "Shop with coupon", url: `https://${SHOP}/discount/WELCOME10` }]);
  });

  it("welcomes a customer of an API 2026-10 payload, which carries no marketing-consent fields", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-alan", { email: "alan@example.com" }, new Date());
    const body = editFixture("customers-create.json", (c) => {
      for (const k of Object.keys(c)) if (/marketing|accepts_/.test(k)) delete c[k];
    });
    expect(body).not.toMatch(/marketing/);
    await postWebhook(h.url, body, { topic: "customers/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    expect((h.standIn.messages[0]!.body.message as ButtonMessage).text).toContain("WELCOME10");
  });

  it("speaks Chinese when the shop's language is zh, within the limits", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { language: "zh" } });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    const m = h.standIn.messages[0]!.body.message as ButtonMessage;
    expect(m.text).toMatch(/欢迎/);
    expect(m.buttons[0]!.title.length).toBeLessThanOrEqual(20);
  });

  it("shortens a 600-character first name, never the coupon code", async () => {
    await h.app.ctx.shops.upsert(SHOP, { couponCode: "WELCOME-2026-LONGCODE" });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(
      h.url,
      editFixture("customers-create.json", (c) => (c.first_name = "A".repeat(600))),
      { topic: "customers/create" },
    );
    await drain(h);
    const m = h.standIn.messages[0]!.body.message as ButtonMessage;
    expect(m.text.length).toBeLessThanOrEqual(640);
    expect(m.text).toContain("WELCOME-2026-LONGCODE");
    expect(m.text).toMatch(/A…/);
    expect(m.text).toMatch(/Tap below to shop with it applied\.$/);
  });

  it("is skipped with the reason when the shop has no coupon code", async () => {
    await h.app.ctx.shops.upsert(SHOP, { couponCode: null });
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    const e = await h.app.ctx.db.webhookEvent.findFirstOrThrow();
    expect([e.state, e.note]).toEqual(["skipped", expect.stringMatching(/no coupon code/)]);
  });
});

describe("shipping notice (fulfillments/create)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({}, { background: false });
    await configureShop(h);
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await drain(h);
  });
  afterEach(() => h.close());
  const notices = () => h.standIn.messages.filter((m) => m.body.message.template_type !== "receipt");

  it("sends a button message with the tracking URL to the order's recipient, untagged inside the window", async () => {
    await postWebhook(h.url, fulfillment(), { topic: "fulfillments/create" });
    await drain(h);
    expect(notices()).toHaveLength(1);
    const body = notices()[0]!.body;
    expect(body.tag).toBeUndefined();
    expect(body.recipient).toEqual({ uuid: "uuid-alan" });
    const m = body.message as ButtonMessage;
    expect(m.text).toContain("SF Express");
    expect(m.text).toContain("SF1234567890");
    expect(m.buttons).toEqual([{ type: "web_url", title: "Track package", url: "https://www.sf-express.com/track?no=SF1234567890" }]);
  });

  it("sends text only when Shopify gave no tracking URL", async () => {
    await postWebhook(h.url, fulfillment({ tracking_url: null }), { topic: "fulfillments/create" });
    await drain(h);
    expect(notices()[0]!.body.message.template_type).toBe("text");
  });

  it("shortens a carrier's 600-character name, never the order or tracking number; a tracking URL that does not parse leaves text only", async () => {
    const longCarrier = JSON.stringify({ ...JSON.parse(fulfillment({ tracking_url: "http://[bad" })), tracking_urls: [], tracking_company: "C".repeat(600) });
    await postWebhook(h.url, longCarrier, { topic: "fulfillments/create" });
    await drain(h);
    const m = notices()[0]!.body.message;
    expect(m.template_type).toBe("text");
    expect(m.text.length).toBeLessThanOrEqual(640);
    expect(m.text).toContain("#1054");
    expect(m.text).toContain("SF1234567890");
  });

  it("sends again when an update adds tracking, not when it repeats", async () => {
    await postWebhook(h.url, fulfillment({ tracking_url: null, tracking_number: null }), { topic: "fulfillments/create" });
    await postWebhook(h.url, fulfillment(), { topic: "fulfillments/update" });
    await postWebhook(h.url, fulfillment(), { topic: "fulfillments/update" });
    await drain(h);
    expect(notices()).toHaveLength(2);
  });
});

describe("shipping notice past the 24-hour window, when the shop chose to send tagged", () => {
  let h: Harness;
  const twoDaysAgo = () => new Date(Date.now() - 48 * 3_600_000);
  const start = async (template: string) => {
    h = await startHarness({}, { background: false });
    // Saved by an earlier version, which took any text: the worker is the last word.
    await configureShop(h, { settings: { pastWindow: "send_tagged", templates: { "shipping.text": template } } });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, twoDaysAgo());
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await postWebhook(h.url, fulfillment(), { topic: "fulfillments/create" });
    await drain(h);
    return h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "shipping" } });
  };
  afterEach(() => h.close());

  it("holds a notice whose text reads as a promotion instead of tagging it, saying why", async () => {
    const row = await start("FLASH SALE… code SAVE30! Your order {{order_name}} has shipped.");
    expect([row.state, row.reasonCode, row.sentBody]).toEqual(["skipped", "promotional_text", null]);
    expect(row.lastError).toMatch(/^looks promotional \("FLASH SALE", "SAVE30"\)/);
    expect(h.standIn.messages.map((m) => m.body.message.template_type)).toEqual(["receipt"]);
  });

  it("tags a plain notice, as the shop chose", async () => {
    const row = await start("Your order {{order_name}} has shipped.");
    expect([row.state, row.tag]).toEqual(["sent", "POST_PURCHASE_UPDATE"]);
    expect(h.standIn.messages.find((m) => m.body.message.template_type !== "receipt")!.body.tag).toBe("POST_PURCHASE_UPDATE");
  });
});
