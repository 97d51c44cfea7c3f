import { startHarness, type Harness } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";
import { MAX_EVENT_ATTEMPTS } from "../../src/automations/contract";

describe("stored events whose handler throws back off", () => {
  let h: Harness;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    h = await startHarness({ EVENT_RETRY_BASE_MS: "10000" }, { background: false, clock });
    await configureShop(h);
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, clock.now());
  });
  afterEach(() => h.close());
  const event = () => h.app.ctx.db.webhookEvent.findFirstOrThrow();

  it("a handler that throws twice then succeeds is retried with backoff and processed once", async () => {
    const real = h.app.ctx.links.newestFor.bind(h.app.ctx.links);
    let calls = 0;
    jest.spyOn(h.app.ctx.links, "newestFor").mockImplementation(async (...args) => {
      if (++calls <= 2) throw new Error(`database hiccup ${calls}`);
      return real(...args);
    });
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });

    expect(await h.app.processor!.runOnce()).toBe(1);
    let e = await event();
    expect([e.state, e.attempts, e.note]).toEqual(["retry", 1, "database hiccup 1"]);
    const firstDelay = e.runAt!.getTime() - clock.now().getTime();
    expect(firstDelay).toBeGreaterThanOrEqual(5_000); // 10 s with jitter down to half
    expect(firstDelay).toBeLessThanOrEqual(10_000);
    // Not due: nothing is claimed, however often the processor looks.
    expect(await h.app.processor!.runOnce()).toBe(0);

    clock.advanceMinutes(firstDelay / 60_000);
    expect(await h.app.processor!.runOnce()).toBe(1);
    e = await event();
    expect([e.state, e.attempts, e.note]).toEqual(["retry", 2, "database hiccup 2"]);
    const secondDelay = e.runAt!.getTime() - clock.now().getTime();
    expect(secondDelay).toBeGreaterThanOrEqual(10_000); // doubled: 20 s with jitter
    expect(secondDelay).toBeLessThanOrEqual(20_000);

    clock.advanceMinutes(secondDelay / 60_000);
    await drain(h);
    e = await event();
    expect([e.state, e.attempts]).toEqual(["processed", 3]);
    expect(h.standIn.messages).toHaveLength(1);
    expect(await h.app.ctx.db.delivery.count()).toBe(1);
  });

  it("an event that keeps failing ends failed after MAX_EVENT_ATTEMPTS, is listed for the shop with its reason, and can be retried", async () => {
    const spy = jest.spyOn(h.app.ctx.links, "newestFor").mockRejectedValue(new Error("links table unreadable"));
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    for (let i = 0; i < MAX_EVENT_ATTEMPTS; i++) {
      await h.app.processor!.runOnce();
      clock.advanceMinutes(60);
    }
    const e = await event();
    expect([e.state, e.attempts, e.note]).toEqual(["failed", MAX_EVENT_ATTEMPTS, "links table unreadable"]);
    expect((await h.app.ctx.events.listForShop(SHOP, "failed", 10)).map((x) => x.note)).toEqual(["links table unreadable"]);
    spy.mockRestore();
    expect(await h.app.ctx.events.retryFailed("other-shop.myshopify.com", e.id)).toBe(false);
    expect(await h.app.ctx.events.retryFailed(SHOP, e.id)).toBe(true);
    await drain(h);
    expect((await event()).state).toBe("processed");
    expect(h.standIn.messages).toHaveLength(1);
  });
});
