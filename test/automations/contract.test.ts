import { harnessPerTest } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, postWebhook } from "../helpers/webhooks";
import { previewMessage } from "../../src/automations/preview";
import { checkBody } from "../../src/standin/rules";
import { serializeSendBody } from "../../src/messages/wire";

/**
 * JoinChat's contract end to end: every message the app makes from every fixture (the real
 * payloads in test/fixtures/shopify, the same as the project's shared ones, in every language
 * and with the shop's tags) reaches the stand-in, whose rules are written from the vendor's page
 * and not from the app's schema, and is accepted: nothing refused, nothing failed.
 */
const ORDERS = ["orders-create.json", "orders-create-2.json", "orders-create-3.json", "orders-create-tax-included.json", "orders-create-tax-included-2.json"];

/** A fulfillment of `orderId` as Shopify documents fulfillments/create (the fixtures hold none). */
const fulfillment = (orderId: string, over: object = {}) =>
  JSON.stringify({
    id: Number(orderId.slice(-6)) + 1,
    order_id: orderId,
    status: "success",
    tracking_company: "SF Express",
    tracking_number: "SF1234567890",
    tracking_url: "https://www.sf-express.com/track?no=SF 1234567890",
    name: "#1054.1",
    ...over,
  });

describe.each(["en", "zh"] as const)("every fixture's messages are accepted by the independent stand-in (%s)", (language) => {
  let clock: TestClock;
  const h = harnessPerTest(
    {},
    () => ({ background: false, clock: (clock = new TestClock()) }),
    (h) => configureShop(h, { settings: { language } }),
  );

  it("sends a receipt for each real order, a shipping notice for each, the welcome and every recall step", async () => {
    // Each order reaches a uuid through the cart attribute (two are guest draft orders).
    for (const [i, name] of ORDERS.entries()) {
      const uuid = `uuid-order-${i}`;
      await h.app.ctx.links.link(SHOP, uuid, {}, clock.now());
      const order = editFixture(name, (o) => (o.note_attributes = [{ name: "joinchat_uuid", value: uuid }]));
      await postWebhook(h.url, order, { topic: "orders/create" });
      const id = /"id":\s*(\d+)/.exec(order)![1]!;
      await postWebhook(h.url, fulfillment(id), { topic: "fulfillments/create" });
    }
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, clock.now());
    await postWebhook(
      h.url,
      editFixture("customers-create.json", () => {}),
      { topic: "customers/create" },
    );
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: "603851970716743426" }, clock.now());
    await postWebhook(
      h.url,
      editFixture("checkouts-create.json", () => {}),
      { topic: "checkouts/create" },
    );
    await drain(h);
    clock.advanceMinutes(60);
    await drain(h);

    const deliveries = await h.app.ctx.db.delivery.findMany({ orderBy: { createdAt: "asc" } });
    const sent = deliveries.filter((d) => d.state === "sent");
    expect(deliveries.filter((d) => d.state === "failed").map((d) => d.lastError)).toEqual([]);
    const each = (automation: string) => ORDERS.map(() => automation);
    expect(sent.map((d) => d.automation).sort()).toEqual(["abandoned", ...each("receipt"), ...each("shipping"), "welcome"]);
    expect(h.standIn.calls.every((c) => c.status === 200)).toBe(true);
    expect(h.standIn.messages).toHaveLength(sent.length);
    for (const m of h.standIn.messages) expect(checkBody(m.raw)).toEqual([]);
    // The tracking URL's space was percent-encoded rather than costing the button.
    expect(h.standIn.messages.some((m) => m.raw.includes("track?no=SF%201234567890"))).toBe(true);
  });

  it("the admin's previews of every automation are bodies the stand-in accepts", async () => {
    const shop = (await h.app.ctx.shops.find(SHOP))!;
    for (const automation of ["welcome", "abandoned", "receipt", "shipping"] as const) {
      const p = previewMessage(shop, automation);
      for (const message of [p.message, ...p.alternatives.map((a) => a.message)]) {
        expect(checkBody(serializeSendBody({ page_id: "1029384756", recipient: { uuid: "u" }, message, ...(p.tag ? { tag: p.tag as "PAYMENT_UPDATE" } : {}) }))).toEqual([]);
      }
    }
  });
});
