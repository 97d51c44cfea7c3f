import { harnessPerTest, startHarness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";
import { parseShopifyJson } from "../../src/shopify/json";

/** An amount as JoinChat reads it (a JSON number), in cents: test-side arithmetic, independent of the app's. */
const cents = (n: number) => Math.round(n * 100);
const DAY_MS = 24 * 60 * 60 * 1000;

describe("order receipt (orders/create)", () => {
  const h = harnessPerTest({}, { background: false }, configureShop);

  it("sends a receipt untagged inside the window to the customer's linked uuid, every amount a JSON number equal to the order's", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    const res = await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    expect(res.status).toBe(200);
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    const { body, raw } = h.standIn.messages[0]!;
    expect(body.tag).toBeUndefined(); // inside the 24-hour window nothing needs a tag
    expect(body.recipient).toEqual({ uuid: "uuid-alan" });
    const receipt = body.message;
    expect(receipt.template_type).toBe("receipt");
    expect(receipt.order_number).toBe("#1054");
    expect(receipt.currency).toBe("HKD");
    // The exact decimals, written as number tokens on the wire.
    expect(raw).toContain('"summary":{"subtotal":399.00,"shipping_cost":20.00,"total_tax":0.00,"total_cost":394.00}');
    expect(receipt.summary).toEqual({ subtotal: 399, shipping_cost: 20, total_tax: 0, total_cost: 394 });
    // Named after the codes, then the automatic discount's own title.
    expect(receipt.adjustments).toEqual([
      { name: "Alan Test 0123B", amount: 20 },
      { name: "測試discount_type-1", amount: 5 },
    ]);
    // subtotal - discounts + shipping + tax = total, to the cent.
    const s = receipt.summary;
    const adj = receipt.adjustments.reduce((n: number, a: { amount: number }) => n + cents(a.amount), 0);
    expect(cents(s.subtotal) - adj + cents(s.shipping_cost) + cents(s.total_tax)).toBe(cents(s.total_cost));
    expect(receipt.elements.map((e: { title: string; price: number }) => [e.title, e.price])).toEqual([
      ["aaa0103測試商品11aa", 99],
      ["Green Snowboard", 100],
      ["Orange Snowboard", 100],
      ["Red Snowboard", 100],
    ]);
    expect(receipt.payment_method).toBe("Manual payment");
    expect(receipt.order_url).toMatch(/^https:\/\/demo-store\.myshopify\.com\//);
    expect(receipt.address).toBeUndefined(); // the fixture's Hong Kong address has no street, city, postal code or state
  });

  it("a real tax-included order (UAH, PDV inside the prices) says the tax is included instead of adding it: 100.95 + 0 − 0 = 100.95", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-alik", { customerId: "5038626996433" }, new Date());
    await postWebhook(h.url, fixture("orders-create-tax-included.json"), { topic: "orders/create" });
    await drain(h);
    const { body, raw } = h.standIn.messages[0]!;
    const receipt = body.message;
    expect(receipt.currency).toBe("UAH");
    // No "Tax 16.83" added on top of prices that already hold it: the total is what the buyer paid.
    expect(raw).toContain('"summary":{"subtotal":100.95,"shipping_cost":0.00,"total_cost":100.95}');
    expect(raw).toContain('"adjustments":[{"name":"incl. PDV 16.83","amount":0.00}]');
    const s = receipt.summary;
    const adj = receipt.adjustments.reduce((n: number, a: { amount: number }) => n + cents(a.amount), 0);
    expect(cents(s.subtotal) + cents(s.shipping_cost) + cents(s.total_tax ?? 0) - adj).toBe(cents(s.total_cost));
    expect(receipt.elements.map((e: { title: string; price: number }) => [e.title, e.price])).toEqual([
      ["vidaXL 12Panel Folding Exhibition Display Wall 242x200 cm Black", 100.95],
    ]);
  });

  it("a second real tax-included order (airbytehq/airbyte's test store: a draft order, no customer, PDV inside the price) adds up and says the tax is included", async () => {
    // No customer and no email: the buyer is reached by the cart's joinchat_uuid, which the storefront linked.
    const order = editFixture("orders-create-tax-included-2.json", (o) => (o.note_attributes = [{ name: "joinchat_uuid", value: "uuid-candle" }]));
    await h.app.ctx.links.link(SHOP, "uuid-candle", {}, new Date());
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    const { body, raw } = h.standIn.messages[0]!;
    expect(body.recipient).toEqual({ uuid: "uuid-candle" });
    const receipt = body.message;
    expect([receipt.order_number, receipt.currency]).toEqual(["#1143", "USD"]);
    // 102.00 paid, of which PDV 17.00: shown as included, not added on top.
    expect(raw).toContain('"summary":{"subtotal":102.00,"shipping_cost":0.00,"total_cost":102.00}');
    expect(receipt.adjustments).toEqual([{ name: "incl. PDV 17.00", amount: 0 }]);
    const s = receipt.summary;
    const adj = receipt.adjustments.reduce((n: number, a: { amount: number }) => n + cents(a.amount), 0);
    expect(cents(s.subtotal) + cents(s.shipping_cost) + cents(s.total_tax ?? 0) - adj).toBe(cents(s.total_cost));
    expect(receipt.elements.map((e: { title: string; price: number }) => [e.title, e.price])).toEqual([["8 Ounce Soy Candle", 102]]);
  });

  it("shows a tip and a duty as named lines that the total includes, in the shop's currency and in the buyer's", async () => {
    const withTipAndDuty = editFixture("orders-create.json", (o) => {
      o.total_tip_received = "5.00";
      o.original_total_duties_set = { shop_money: { amount: "12.40", currency_code: "HKD" }, presentment_money: { amount: "12.40", currency_code: "HKD" } };
      o.total_price = "411.40"; // 394.00 + 5.00 + 12.40
      o.total_price_set = { shop_money: { amount: "411.40", currency_code: "HKD" }, presentment_money: { amount: "411.40", currency_code: "HKD" } };
    });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, withTipAndDuty, { topic: "orders/create" });
    await drain(h);
    const receipt = h.standIn.messages[0]!.body.message;
    expect(receipt.elements.slice(-2).map((e: { title: string; price: number }) => [e.title, e.price])).toEqual([
      ["Duties", 12.4],
      ["Tip", 5],
    ]);
    expect(receipt.summary).toEqual({ subtotal: 416.4, shipping_cost: 20, total_tax: 0, total_cost: 411.4 });
    const adj = receipt.adjustments.reduce((n: number, a: { amount: number }) => n + cents(a.amount), 0);
    expect(cents(receipt.summary.subtotal) + cents(receipt.summary.shipping_cost) - adj).toBe(cents(411.4));

    // Paid in USD: Shopify gives the tip in the shop's currency only; what the USD total holds beyond the other parts is the tip.
    const set = (shop: string, buyer: string) => ({ shop_money: { amount: shop, currency_code: "HKD" }, presentment_money: { amount: buyer, currency_code: "USD" } });
    const inUsd = editFixture("orders-create.json", (o) => {
      o.id = 6198432301357; // another order: one receipt per order
      o.name = "#1055";
      o.presentment_currency = "USD";
      o.line_items = [{ ...o.line_items[0], quantity: 1, price: "99.00", price_set: set("99.00", "12.70"), discount_allocations: [] }];
      o.discount_applications = [];
      o.discount_codes = [];
      o.total_tip_received = "10.00";
      o.original_total_duties_set = set("8.00", "1.03");
      o.total_shipping_price_set = set("20.00", "2.57");
      o.total_tax_set = set("0.00", "0.00");
      o.total_price = "137.00";
      o.total_price_set = set("137.00", "17.58"); // 12.70 + 2.57 + 1.03 + tip 1.28
    });
    await postWebhook(h.url, inUsd, { topic: "orders/create" });
    await drain(h);
    const usd = h.standIn.messages.at(-1)!.body.message;
    expect(usd.currency).toBe("USD");
    expect(usd.elements.map((e: { title: string; price: number }) => [e.title, e.price])).toEqual([
      ["aaa0103測試商品11aa", 12.7],
      ["Duties", 1.03],
      ["Tip", 1.28],
    ]);
    expect(usd.summary).toEqual({ subtotal: 15.01, shipping_cost: 2.57, total_tax: 0, total_cost: 17.58 });
  });

  it("reaches a guest draft order (no customer, empty email) through the joinchat_uuid cart attribute", async () => {
    const order = editFixture("orders-create-2.json", (o) => (o.note_attributes = [{ name: "joinchat_uuid", value: "guest-uuid-7" }]));
    await h.app.ctx.links.link(SHOP, "guest-uuid-7", {}, new Date());
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    const body = h.standIn.messages[0]!.body;
    expect(body.recipient).toEqual({ uuid: "guest-uuid-7" });
    expect(h.standIn.messages[0]!.raw).toContain('"total_cost":186.90');
    expect(body.message.recipient_name).toBe("Customer");
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
    // The copies carry no discount allocations (150 copies of the first line's would be 150 discounts): the order's codes say what was taken off.
    order.line_items = Array.from({ length: 150 }, (_, i) => ({
      ...item,
      id: 1000 + i,
      title: i === 0 ? "T".repeat(300) : `Item ${i}`,
      price: "1.10",
      quantity: 2,
      discount_allocations: [],
    }));
    order.total_line_items_price = "330.00";
    order.subtotal_price = "305.00";
    order.total_price = "325.00";
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, JSON.stringify(order), { topic: "orders/create" });
    await drain(h);
    const { body, raw } = h.standIn.messages[0]!;
    const receipt = body.message;
    expect(receipt.elements).toHaveLength(100);
    expect(receipt.elements[0].title.length).toBeLessThanOrEqual(80);
    expect(receipt.elements[0].title.endsWith("…")).toBe(true);
    const last = receipt.elements[99];
    expect(last.title).toBe("+ 51 more items");
    expect(last.quantity).toBe(102);
    // 51 remaining lines x 2 x 1.10 = 112.20, and the 100 prices still add up to the subtotal.
    expect(raw).toContain('"price":112.20');
    const sum = receipt.elements.reduce((n: number, e: { price: number }) => n + cents(e.price), 0);
    expect(sum).toBe(cents(receipt.summary.subtotal));
    expect(receipt.summary.subtotal).toBe(330);
    expect(receipt.summary.total_cost).toBe(325);
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

  it("prices each element at its line's amount, so they add up to the subtotal on a multi-quantity order", async () => {
    const order = editFixture("orders-create.json", (o) => {
      o.line_items[0].quantity = 2; // 2 x 99.00
      o.line_items[1].quantity = 3; // 3 x 100.00
      o.total_line_items_price = "698.00";
    });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    const receipt = h.standIn.messages[0]!.body.message;
    expect(receipt.elements.map((e: { quantity: number; price: number }) => [e.quantity, e.price])).toEqual([
      [2, 198],
      [3, 300],
      [1, 100],
      [1, 100],
    ]);
    expect(receipt.summary.subtotal).toBe(698);
  });

  it("keeps ISO 4217's two decimals for HUF: 10.50 x 2 stays 21.00", async () => {
    const order = editFixture("orders-create.json", (o) => {
      o.currency = "HUF";
      o.presentment_currency = "HUF";
      o.line_items = [{ ...o.line_items[0], quantity: 2, price: "10.50", discount_allocations: [] }];
      o.total_line_items_price = "21.00";
      o.total_price = "21.00";
      o.total_discounts = "0.00";
      o.discount_codes = [];
      o.total_shipping_price_set = { shop_money: { amount: "0.00", currency_code: "HUF" } };
    });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    const { raw } = h.standIn.messages[0]!;
    expect(raw).toContain('"price":21.00');
    expect(raw).toContain('"subtotal":21.00');
    expect(raw).toContain('"total_cost":21.00');
  });

  it("leaves out a Hong Kong address, which has no postal code or state, rather than sending it half empty", async () => {
    const order = editFixture("orders-create.json", (o) => {
      Object.assign(o.shipping_address, { address1: "1 Queen's Road Central", city: "Central", zip: null, province: null, province_code: null });
    });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    expect(h.standIn.messages[0]!.body.message.address).toBeUndefined();
    expect(h.standIn.messages[0]!.raw).not.toContain('"postal_code":""');
  });

  it("skips an order whose price cannot be read (1e3), with the reason, and does not retry it", async () => {
    const order = editFixture("orders-create.json", (o) => (o.line_items[1].price = "1e3"));
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    const event = await h.app.ctx.db.webhookEvent.findFirstOrThrow();
    expect([event.state, event.attempts]).toEqual(["skipped", 1]);
    expect(event.note).toBe("payload not understood: line_items.1.price: not a decimal amount");
    expect(h.standIn.messages).toHaveLength(0);
  });

  it("is held by default once the recipient's window has closed (opt-in 2 days ago), with the reason; no retired tag goes out", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date(Date.now() - 2 * DAY_MS));
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.calls).toHaveLength(0);
    const d = await h.app.ctx.db.delivery.findFirstOrThrow();
    expect([d.state, d.reasonCode, d.lastError]).toEqual(["skipped", "outside_window", "outside the 24-hour Messenger window: held (Settings: past 24 hours, hold)"]);
  });

  it("to a recipient whose window the app cannot know (an email recipient) is held by default", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { recipientOptIn: { email: true, phone: false } } });
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.calls).toHaveLength(0);
    const d = await h.app.ctx.db.delivery.findFirstOrThrow();
    expect([d.state, d.reasonCode]).toEqual(["skipped", "outside_window"]);
    expect(d.lastError).toMatch(/^outside the 24-hour Messenger window as far as the app knows/);
  });

  it("past the window, goes with the 2026 tag the shop chose to send with, or is held with the reason when the shop holds", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date(Date.now() - 2 * DAY_MS));
    await h.app.ctx.shops.upsert(SHOP, { settings: { pastWindow: "send_tagged", tags: { receipt: "POST_PURCHASE_UPDATE" } } });
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.messages.map((m) => m.body.tag)).toEqual(["POST_PURCHASE_UPDATE"]);

    const held = await startHarness({}, { background: false });
    try {
      await configureShop(held, { settings: { pastWindow: "hold" } });
      await held.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date(Date.now() - 2 * DAY_MS));
      await postWebhook(held.url, fixture("orders-create.json"), { topic: "orders/create" });
      await drain(held);
      expect(held.standIn.calls).toHaveLength(0);
      const d = await held.app.ctx.db.delivery.findFirstOrThrow();
      expect([d.state, d.lastError]).toEqual(["skipped", "outside the 24-hour Messenger window: held (Settings: past 24 hours, hold)"]);
    } finally {
      await held.close();
    }
  });

  it("is not sent when JoinChat answers 200 with success false: its code and message are in the delivery log", async () => {
    h.standIn.set({ unknownRecipients: ["uuid-alan"] });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.calls.map((c) => c.status)).toEqual([200]);
    expect(h.standIn.messages).toHaveLength(0);
    const d = await h.app.ctx.db.delivery.findFirstOrThrow();
    expect(d.state).toBe("failed");
    expect(d.attempts).toBe(1);
    expect(d.joinchatCode).toBe("10010");
    expect(d.lastError).toMatch(/^JoinChat refused the message \(code 10010\): Recipient not found/);
    expect(d.responseBody).toBe('{"success":false,"errors":{"code":10010,"msg":"Recipient not found"}}');
  });

  it("shows the buyer's currency: an AUD shop's order paid in USD reads USD 45.85, not AUD 60.33", async () => {
    const set = (shop: string, buyer: string) => ({ shop_money: { amount: shop, currency_code: "AUD" }, presentment_money: { amount: buyer, currency_code: "USD" } });
    const order = editFixture("orders-create.json", (o) => {
      o.currency = "AUD";
      o.presentment_currency = "USD";
      o.line_items = [{ ...o.line_items[0], quantity: 1, price: "50.33", price_set: set("50.33", "38.25"), discount_allocations: [] }];
      o.total_line_items_price = "50.33";
      o.total_price = "60.33";
      o.total_price_set = set("60.33", "45.85");
      o.total_shipping_price_set = set("10.00", "7.60");
      o.total_tax = "0.00";
      o.total_tax_set = set("0.00", "0.00");
      o.total_discounts = "0.00";
      o.total_discounts_set = set("0.00", "0.00");
      o.discount_codes = [];
      o.discount_applications = [];
    });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    const { body, raw } = h.standIn.messages[0]!;
    expect(body.message.currency).toBe("USD");
    expect(raw).toContain('"summary":{"subtotal":38.25,"shipping_cost":7.60,"total_tax":0.00,"total_cost":45.85}');
    expect(body.message.elements).toEqual([expect.objectContaining({ price: 38.25, currency: "USD" })]);
    expect(raw).not.toContain("60.33");
  });

  it("in the buyer's currency, names each discount by its application with what it took off the lines", async () => {
    const set = (shop: string, buyer: string) => ({ shop_money: { amount: shop, currency_code: "HKD" }, presentment_money: { amount: buyer, currency_code: "USD" } });
    const order = editFixture("orders-create.json", (o) => {
      o.presentment_currency = "USD";
      // What each discount took off each line in USD, as Shopify allocates it (the code's add up to 2.00).
      const usd = [["0.48", "0.50"], ["0.51"], ["0.51"], ["0.50"]];
      o.line_items = o.line_items.map((li: any, i: number) => ({
        ...li,
        price_set: set(li.price, (Number(li.price) / 10).toFixed(2)),
        discount_allocations: li.discount_allocations.map((a: any, j: number) => ({ ...a, amount_set: set(a.amount, usd[i]![j]!) })),
      }));
      o.total_price_set = set("394.00", "39.40");
      o.total_shipping_price_set = set("20.00", "2.00");
      o.total_tax_set = set("0.00", "0.00");
      o.total_discounts_set = set("25.00", "2.50");
    });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    const receipt = h.standIn.messages[0]!.body.message;
    expect(receipt.currency).toBe("USD");
    expect(receipt.adjustments.map((a: { name: string; amount: number }) => [a.name, cents(a.amount)])).toEqual([
      ["Alan Test 0123B", 200],
      ["測試discount_type-1", 50],
    ]);
    const s = receipt.summary;
    expect(cents(s.subtotal) - 250 + cents(s.shipping_cost) + cents(s.total_tax)).toBe(cents(s.total_cost));
  });
});
