import { startHarness, type Harness } from "../helpers/app";
import { SHOP, waitFor } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";

describe("acknowledgement never waits on JoinChat", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ JOINCHAT_TIMEOUT_MS: "10000" }); // processor and worker in the background, as in production
    await configureShop(h);
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
  });
  afterAll(() => h.close());

  it("answers webhooks while JoinChat takes 5 s, and the message arrives after the answers", async () => {
    h.standIn.set({ latencyMs: 5000 });
    const order = fixture("orders-create.json");
    const first = await postWebhook(h.url, order, { topic: "orders/create" });
    expect(first.status).toBe(200);
    // The send has started (JoinChat is answering slowly) ...
    await waitFor(
      () => h.app.ctx.db.delivery.count({ where: { state: "sending" } }),
      (n) => n === 1,
    );
    // ... and further webhooks are answered while it is still in flight.
    const more = await Promise.all(
      ["customers/redact", "customers/data_request", "products/update"].map((topic) => postWebhook(h.url, fixture("customers-create.json"), { topic })),
    );
    expect(more.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(h.standIn.calls).toHaveLength(0);
    expect(await h.app.ctx.db.delivery.count({ where: { state: "sending" } })).toBe(1);
    const sent = await waitFor(
      () => h.app.ctx.db.delivery.count({ where: { state: "sent" } }),
      (n) => n === 1,
      15_000,
    );
    expect(sent).toBe(1);
    expect(h.standIn.messages).toHaveLength(1);
  });
});
