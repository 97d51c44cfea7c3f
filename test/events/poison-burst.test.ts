import { harnessPerTest, type Harness } from "../helpers/app";
import { describePostgres, freshPostgresUrl } from "../helpers/db";
import { JOINCHAT_SECRET, PAGE, SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, postWebhook } from "../helpers/webhooks";

const OTHER_SHOP = "other-store.myshopify.com";
const CUSTOMER = "8658316394796";
const LONG_TRACKING = "SF".padEnd(3_000, "7");

const order = (id: number, shop = SHOP, email = "alan@example.com") =>
  editFixture("orders-create.json", (p) => {
    p.id = id;
    p.name = `#${id}`;
    p.email = "EMAIL";
    p.cart_token = "CART";
    p.order_status_url = String(p.order_status_url).replace(SHOP, shop);
  })
    .replace('"EMAIL"', JSON.stringify(email))
    .replace('"CART"', email.includes("\\u") ? `"${email}"` : `"cart-${id}"`);

/** A carrier's scan, as fulfillment_events/create carries it; Shopify signs whatever date it was sent. */
const scan = (orderId: number, happenedAt: string) =>
  `{"id":944956395,"fulfillment_id":5918291939462,"order_id":${orderId},"status":"out_for_delivery","message":null,"happened_at":"${happenedAt}","city":null,"province":null,"country":null,"estimated_delivery_at":null}`;

const fulfillment = (orderId: number, trackingNumber: string) =>
  JSON.stringify({
    id: 5918291939463,
    order_id: orderId,
    status: "success",
    tracking_company: "SF Express",
    tracking_number: trackingNumber,
    tracking_numbers: [trackingNumber],
    name: "#1.1",
  });

async function twoShops(h: Harness): Promise<void> {
  await configureShop(h, { settings: { deliveryUpdates: { out_for_delivery: true, delivered: true, attempted_delivery: true } } });
  await h.app.ctx.shops.upsert(OTHER_SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET });
  await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: CUSTOMER }, h.app.ctx.clock.now());
  await h.app.ctx.links.link(OTHER_SHOP, "uuid-alan-other", { customerId: CUSTOMER }, h.app.ctx.clock.now());
}

const databases = [
  { name: "SQLite", describeOn: describe, env: async () => ({}), postgres: false },
  { name: "PostgreSQL", describeOn: describePostgres, env: async () => ({ DATABASE_URL: await freshPostgresUrl() }), postgres: true },
];

for (const { name, describeOn, env, postgres } of databases) {
  describeOn(`a burst holding events the database cannot take, on ${name}`, () => {
    const h = harnessPerTest(env, { background: false }, twoShops);
    const eventOf = (eventKey: string) => h.app.ctx.db.webhookEvent.findFirstOrThrow({ where: { eventKey }, select: { state: true, note: true } });

    it("ends every event of the pass: normal orders of both shops go out, each poison event ends with its reason, nothing is left processing", async () => {
      const post = (body: string, topic: string, eventId: string, shop = SHOP) => postWebhook(h.url, body, { topic, eventId, shop });
      await post(order(1001), "orders/create", "order-1");
      await post(scan(1001, "+275760-09-13T00:00:00.000Z"), "fulfillment_events/create", "scan-275760");
      await post(order(1002, SHOP, "alan\\ud800@example.com"), "orders/create", "order-surrogate");
      if (postgres) await post(fulfillment(1001, LONG_TRACKING), "fulfillments/create", "long-tracking");
      await post(order(3001, OTHER_SHOP), "orders/create", "other-shop-order", OTHER_SHOP);
      await post(order(1003), "orders/create", "order-3");

      // One pass claims them all together.
      expect(await h.app.processor!.runOnce()).toBe(postgres ? 6 : 5);
      expect(await h.app.ctx.events.countByState()).not.toHaveProperty("processing");

      expect(await eventOf("scan-275760")).toEqual({ state: "skipped", note: "payload not understood: happened_at: a date outside the years 1 to 9999" });
      // Its text made well-formed when parsed, the order is an order like any other.
      expect(await eventOf("order-surrogate")).toEqual({ state: "processed", note: null });
      if (postgres) expect((await eventOf("long-tracking")).state).toBe("processed");

      await drain(h);
      const receipts = h.standIn.messages.filter((m) => m.body.message.template_type === "receipt");
      expect(receipts.map((m) => `${m.body.recipient.uuid} ${(m.body.message as { order_number: string }).order_number}`).sort()).toEqual([
        "uuid-alan #1001",
        "uuid-alan #1002",
        "uuid-alan #1003",
        "uuid-alan-other #3001",
      ]);
      if (postgres) {
        const notice = await h.app.ctx.db.delivery.findFirstOrThrow({ where: { automation: "shipping" }, select: { key: true, state: true } });
        expect(notice.key.length).toBeLessThan(400);
        expect(notice.state).toBe("sent");
      }

      const health = (await (await fetch(`${h.url}/healthz`)).json()) as { status: string; backlog: { stuckEvents: { count: number } } };
      expect(health.status).toBe("up");
      expect(health.backlog.stuckEvents.count).toBe(0);
    });
  });
}
