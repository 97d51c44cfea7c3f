import { startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";
import type { ButtonMessage, TextMessage } from "../../src/messages/schema";
import type { ShopSettings } from "../../src/store/shop-settings";

const ORDER_ID = "6198432301356";
/** The fixture order's status page, which its receipt links to. */
const ORDER_STATUS_URL = "https://demo-store.myshopify.com/91740864812/orders/a1b210c8aa20bd2ea3b459f2decec7a6/authenticate?key=cc6a9100cebe1b045f08b2c766d78ec0";
/** A fulfillment id beyond 2^53: a plain JSON.parse would make it another fulfillment's. */
const FULFILLMENT_ID = "5918291939462123457";

/** A fulfillment_events/create payload as Shopify's FulfillmentEvent resource documents it; written as text so the long id stays exact. */
function fulfillmentEvent(o: { status: string; id?: number; orderId?: string; happenedAt?: string }): string {
  return `{"id":${o.id ?? 944956395},"fulfillment_id":${FULFILLMENT_ID},"status":"${o.status}","message":"Your package is on the way","happened_at":"${o.happenedAt ?? "2026-12-02T09:12:00-05:00"}","city":"Kowloon","province":null,"country":"Hong Kong","zip":null,"address1":null,"latitude":22.3,"longitude":114.17,"shop_id":91740864812,"created_at":"2026-12-02T09:12:05-05:00","updated_at":"2026-12-02T09:12:05-05:00","estimated_delivery_at":null,"order_id":${o.orderId ?? ORDER_ID},"admin_graphql_api_id":"gid://shopify/FulfillmentEvent/944956395"}`;
}

const shipment = () =>
  `{"id":${FULFILLMENT_ID},"order_id":${ORDER_ID},"status":"success","tracking_company":"SF Express","tracking_number":"SF1234567890","tracking_numbers":["SF1234567890"],"tracking_url":"https://www.sf-express.com/track?no=SF1234567890","tracking_urls":["https://www.sf-express.com/track?no=SF1234567890"],"name":"#1054.1","line_items":[]}`;

const only = (on: Partial<ShopSettings["deliveryUpdates"]>): ShopSettings["deliveryUpdates"] => ({ out_for_delivery: false, delivered: false, attempted_delivery: false, ...on });

describe("delivery updates (fulfillment_events/create)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({}, { background: false });
    await configureShop(h, { settings: { deliveryUpdates: only({ out_for_delivery: true, attempted_delivery: true }) } });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await drain(h);
  });
  afterEach(() => h.close());
  const updates = () => h.standIn.messages.filter((m) => m.body.message.template_type !== "receipt");
  const eventOf = async (eventId: string) => h.app.ctx.db.webhookEvent.findFirstOrThrow({ where: { eventKey: eventId } });

  it("sends one out-for-delivery notice to the receipt's recipient, with a button to the order status page; a repeat of the event sends nothing more", async () => {
    expect(h.standIn.messages).toHaveLength(1);
    await postWebhook(h.url, fulfillmentEvent({ status: "out_for_delivery" }), { topic: "fulfillment_events/create" });
    await drain(h);
    expect(updates()).toHaveLength(1);
    const body = updates()[0]!.body;
    expect(body.recipient).toEqual({ uuid: "uuid-alan" });
    expect(body.tag).toBeUndefined();
    const m = body.message as ButtonMessage;
    expect(m.text).toBe("Good news: your parcel from Demo Store is out for delivery and should reach you today.");
    expect(m.buttons).toEqual([{ type: "web_url", title: "Track package", url: ORDER_STATUS_URL }]);

    // Shopify's retry (same event id) is stored once; the same scan delivered anew (another event id) is worked but sends nothing.
    await postWebhook(h.url, fulfillmentEvent({ status: "out_for_delivery" }), { topic: "fulfillment_events/create" });
    await postWebhook(h.url, fulfillmentEvent({ status: "out_for_delivery", id: 944956396 }), { topic: "fulfillment_events/create" });
    await drain(h);
    expect(updates()).toHaveLength(1);
    const rows = await h.app.ctx.db.delivery.findMany({ where: { automation: "delivery" } });
    expect(rows.map((r) => [r.key, r.state, r.tag, r.subjectKey])).toEqual([
      // Sent inside the window: untagged, and the row says so.
      [`delivery:${SHOP}:${FULFILLMENT_ID}:out_for_delivery`, "sent", null, `order:${ORDER_ID}`],
    ]);
  });

  it("links to the carrier's tracking page the fulfillment's shipping notice gave; past the window it carries the shipping tag the shop chose to send with", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { pastWindow: "send_tagged", tags: { shipping: "ACCOUNT_UPDATE" } } });
    await postWebhook(h.url, shipment(), { topic: "fulfillments/create" });
    await drain(h);
    // The customer's last Send to Messenger click is two days old by the time the carrier reports.
    await h.app.ctx.db.recipientLink.updateMany({ data: { linkedAt: new Date(Date.now() - 2 * 86_400_000) } });
    await postWebhook(h.url, fulfillmentEvent({ status: "attempted_delivery" }), { topic: "fulfillment_events/create" });
    await drain(h);
    const sent = updates().map((u) => u.body);
    expect(sent).toHaveLength(2);
    expect((sent[1]!.message as ButtonMessage).text).toMatch(/^The carrier tried to deliver your parcel from Demo Store but could not/);
    expect((sent[1]!.message as ButtonMessage).buttons[0]).toMatchObject({ type: "web_url", url: "https://www.sf-express.com/track?no=SF1234567890" });
    expect([sent[0]!.tag, sent[1]!.tag]).toEqual([undefined, "ACCOUNT_UPDATE"]);
    const row = await h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "delivery" } });
    expect(row.tag).toBe("ACCOUNT_UPDATE");
  });

  it("skips a status the shop left off, and one it sends nothing for, each with the reason", async () => {
    await postWebhook(h.url, fulfillmentEvent({ status: "delivered" }), { topic: "fulfillment_events/create", eventId: "evt-delivered" });
    await postWebhook(h.url, fulfillmentEvent({ status: "in_transit", id: 2 }), { topic: "fulfillment_events/create", eventId: "evt-transit" });
    await drain(h);
    expect(updates()).toHaveLength(0);
    const delivered = await eventOf("evt-delivered");
    expect([delivered.state, delivered.note]).toEqual(["skipped", 'delivery update "delivered" is off']);
    const transit = await eventOf("evt-transit");
    expect([transit.state, transit.note]).toEqual(["skipped", 'fulfillment event "in_transit" is not a delivery update the app sends']);
  });

  it("sends each status once: delivered after out for delivery is a second notice, once switched on", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { deliveryUpdates: only({ out_for_delivery: true, delivered: true }) } });
    await postWebhook(h.url, fulfillmentEvent({ status: "out_for_delivery" }), { topic: "fulfillment_events/create" });
    await postWebhook(h.url, fulfillmentEvent({ status: "DELIVERED", id: 3 }), { topic: "fulfillment_events/create" });
    await drain(h);
    expect(updates().map((u) => (u.body.message as TextMessage).text)).toEqual([
      "Good news: your parcel from Demo Store is out for delivery and should reach you today.",
      "Your parcel from Demo Store has been delivered. Enjoy your order!",
    ]);
  });

  it("sends nothing for a scan older than one already handled (Shopify delivered them out of order)", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { deliveryUpdates: only({ out_for_delivery: true, delivered: true }) } });
    await postWebhook(h.url, fulfillmentEvent({ status: "delivered", id: 11, happenedAt: "2026-12-02T15:40:00-05:00" }), { topic: "fulfillment_events/create" });
    await drain(h);
    await postWebhook(h.url, fulfillmentEvent({ status: "out_for_delivery", id: 10, happenedAt: "2026-12-02T08:05:00-05:00" }), {
      topic: "fulfillment_events/create",
      eventId: "evt-late",
    });
    await drain(h);
    expect(updates().map((u) => (u.body.message as TextMessage).text)).toEqual(["Your parcel from Demo Store has been delivered. Enjoy your order!"]);
    const late = await eventOf("evt-late");
    expect([late.state, late.note]).toEqual(["skipped", 'carrier scan "out_for_delivery" is older than one already handled']);
  });

  it("sends nothing about an order no receipt or shipping notice went out for, and says so", async () => {
    await postWebhook(h.url, fulfillmentEvent({ status: "out_for_delivery", orderId: "7000000000001" }), { topic: "fulfillment_events/create", eventId: "evt-other" });
    await drain(h);
    expect(updates()).toHaveLength(0);
    const e = await eventOf("evt-other");
    expect([e.state, e.note]).toEqual(["skipped", "no recipient: no receipt or shipping notice of this order went to a customer"]);
  });

  it("speaks the shop's language", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { language: "zh" } });
    await postWebhook(h.url, fulfillmentEvent({ status: "out_for_delivery" }), { topic: "fulfillment_events/create" });
    await drain(h);
    const m = updates()[0]!.body.message as ButtonMessage;
    expect(m.text).toBe("好消息：您在 Demo Store 的包裹正在派送中，预计今天送达。");
    expect(m.buttons[0]!.title).toBe("查看物流");
  });

  it("is off for a shop that never turned a status on (settings stored before delivery updates existed)", async () => {
    await h.app.ctx.db.shop.update({ where: { domain: SHOP }, data: { settings: "{}" } });
    await postWebhook(h.url, fulfillmentEvent({ status: "out_for_delivery" }), { topic: "fulfillment_events/create", eventId: "evt-default" });
    await drain(h);
    expect(updates()).toHaveLength(0);
    const e = await eventOf("evt-default");
    expect([e.state, e.note]).toEqual(["skipped", 'delivery update "out_for_delivery" is off']);
  });
});
