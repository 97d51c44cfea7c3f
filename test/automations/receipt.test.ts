import { startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";
import type { ReceiptMessage } from "../../src/messages/schema";
import { parseShopifyJson } from "../../src/shopify/json";

/** Sums decimal strings exactly, in cents (test-side arithmetic, independent of the app's). */
const cents = (s: string) => {
  const [w, f = ""] = s.split(".");
  return Number(w) * 100 + Number((f + "00").slice(0, 2)) * Math.sign(Number(w) || 1);
};

describe("order receipt (orders/create)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({}, { background: false });
    await configureShop(h);
  });
  afterEach(() => h.close());

  it("sends a receipt tagged PAYMENT_UPDATE to the customer's linked uuid, figures equal to the order's", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    const res = await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    expect(res.status).toBe(200);
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    const body = h.standIn.messages[0]!.body;
    expect(body.tag).toBe("PAYMENT_UPDATE");
    expect(body.recipient).toEqual({ uuid: "uuid-alan" });
    const receipt = body.message as ReceiptMessage;
    expect(receipt.template_type).toBe("receipt");
    expect(receipt.order_number).toBe("#1054");
    expect(receipt.currency).toBe("HKD");
    expect(receipt.summary).toEqual({ subtotal: "399.00", shipping_cost: "20.00", total_tax: "0.00", total_cost: "394.00" });
    expect(receipt.adjustments).toEqual([
      { name: "Alan Test 0123B", amount: "20.00" },
      { name: "Discounts", amount: "5.00" },
    ]);
    // subtotal - discounts + shipping + tax = total, to the cent.
    const s = receipt.summary;
    const adj = receipt.adjustments!.reduce((n, a) => n + cents(a.amount), 0);
    expect(cents(s.subtotal!) - adj + cents(s.shipping_cost!) + cents(s.total_tax!)).toBe(cents(s.total_cost));
    expect(receipt.elements!.map((e) => [e.title, e.price])).toEqual([
      ["aaa0103測試商品11aa", "99.00"],
      ["Green Snowboard", "100.00"],
      ["Orange Snowboard", "100.00"],
      ["Red Snowboard", "100.00"],
    ]);
    expect(receipt.payment_method).toBe("Manual payment");
    expect(receipt.order_url).toMatch(/^https:\/\/demo-store\.myshopify\.com\//);
    expect(receipt.address).toBeUndefined(); // the fixture's address has no street or city
  });

  it("reaches a guest draft order (no customer, empty email) through the joinchat_uuid cart attribute", async () => {
    const order = editFixture("orders-create-2.json", (o) => (o.note_attributes = [{ name: "joinchat_uuid", value: "guest-uuid-7" }]));
    await h.app.ctx.links.link(SHOP, "guest-uuid-7", {}, new Date());
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    const body = h.standIn.messages[0]!.body;
    expect(body.recipient).toEqual({ uuid: "guest-uuid-7" });
    expect((body.message as ReceiptMessage).summary.total_cost).toBe("186.90");
    expect((body.message as ReceiptMessage).recipient_name).toBe("Customer");
  });

  it("records why a draft order with nobody to reach sent nothing", async () => {
    await postWebhook(h.url, fixture("orders-create-3.json"), { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(0);
    const event = await h.app.ctx.db.webhookEvent.findFirstOrThrow();
    expect(event.state).toBe("skipped");
    expect(event.note).toMatch(/^no recipient: /);
  });

  it("keeps to the limits for 150 line items and a 300-character title, and the total stays the order's", async () => {
    const order = parseShopifyJson(fixture("orders-create.json")) as Record<string, unknown> & { line_items: Record<string, unknown>[] };
    const item = order.line_items[0]!;
    order.line_items = Array.from({ length: 150 }, (_, i) => ({ ...item, id: 1000 + i, title: i === 0 ? "T".repeat(300) : `Item ${i}`, price: "1.10", quantity: 2 }));
    order.total_line_items_price = "330.00";
    order.subtotal_price = "305.00";
    order.total_price = "325.00";
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, JSON.stringify(order), { topic: "orders/create" });
    await drain(h);
    const receipt = h.standIn.messages[0]!.body.message as ReceiptMessage;
    expect(receipt.elements).toHaveLength(100);
    expect(receipt.elements![0]!.title.length).toBeLessThanOrEqual(80);
    expect(receipt.elements![0]!.title.endsWith("…")).toBe(true);
    const last = receipt.elements![99]!;
    expect(last.title).toBe("+ 51 more items");
    // 51 remaining items x 2 x 1.10 = 112.20
    expect(last.price).toBe("112.20");
    expect(receipt.summary.total_cost).toBe("325.00");
  });

  it("sends one receipt per order whatever the topic mix and repeats", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    const body = fixture("orders-create.json");
    await postWebhook(h.url, body, { topic: "orders/create" });
    await postWebhook(h.url, body, { topic: "orders/create" }); // a new event id: Shopify sent it again as a new event
    await postWebhook(h.url, body, { topic: "orders/paid" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    await h.app.ctx.shops.upsert(SHOP, { settings: { receiptTopic: "orders/paid" } });
    await postWebhook(h.url, body, { topic: "orders/paid" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
  });
});
