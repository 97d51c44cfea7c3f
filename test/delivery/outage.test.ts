import { harnessPerTest } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { SHOP, seedDeliveries } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";

const HOUR_MS = 3_600_000;

/** A fulfillment of order #1054 as Shopify documents fulfillments/create. */
const fulfillment = JSON.stringify({ id: 4075788173396, order_id: 6198432301356, status: "success", tracking_company: "SF Express", tracking_number: "SF1", name: "#1054.1" });

describe("retry horizons through long JoinChat outages (injected clock)", () => {
  let clock: TestClock;
  // The production retry base: the backoff reaches its one-hour cap within the outage.
  const h = harnessPerTest(
    { JOINCHAT_RETRY_BASE_MS: "5000" },
    () => ({ background: false, clock: (clock = new TestClock()) }),
    // Past the window receipts and shipping notices go tagged only where the shop chose it.
    (h) => configureShop(h, { abandonedDelaysMinutes: [30], settings: { pastWindow: "send_tagged" } }),
  );

  /** Moves the clock in steps, sending whatever is due at each. */
  async function run(hours: number, stepMinutes = 5): Promise<void> {
    for (let t = 0; t < hours * 60; t += stepMinutes) {
      clock.advanceMinutes(stepMinutes);
      await drain(h);
    }
  }

  it("JoinChat down for 6 hours: every receipt and shipping notice is delivered exactly once; a recall whose window closed meanwhile ends skipped with the reason", async () => {
    // The customer opted in 20 hours ago: the window closes 4 hours into the outage.
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date(clock.now().getTime() - 20 * HOUR_MS));
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: "603851970716743426" }, new Date(clock.now().getTime() - 20 * HOUR_MS));
    h.standIn.set({ failNext: 1_000_000, failStatus: 503 });
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await postWebhook(h.url, fulfillment, { topic: "fulfillments/create" });
    await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
    await drain(h);

    await run(6);
    const during = await h.app.ctx.db.delivery.findMany({ orderBy: { automation: "asc" } });
    expect(during.map((d) => [d.automation, d.state])).toEqual([
      ["abandoned", "skipped"],
      ["receipt", "scheduled"],
      ["shipping", "scheduled"],
    ]);
    const recall = during[0]!;
    expect(recall.lastError).toMatch(/^promotional message and the recipient's 24-hour window has closed/);
    // Down: probed every JOINCHAT_PROBE_MS with one message, the others waiting without spending tries.
    expect(during[1]!.attempts).toBeLessThanOrEqual(6);

    h.standIn.set({ failNext: 0 });
    await run(2);
    const after = await h.app.ctx.db.delivery.findMany({ orderBy: { automation: "asc" } });
    expect(after.map((d) => [d.automation, d.state])).toEqual([
      ["abandoned", "skipped"],
      ["receipt", "sent"],
      ["shipping", "sent"],
    ]);
    expect(h.standIn.messages.map((m) => m.body.message.template_type).sort()).toEqual(["receipt", "text"]);
    // By then the window had closed: they went with the tag the shop chose to send with.
    expect(h.standIn.messages.map((m) => m.body.tag).sort()).toEqual(["POST_PURCHASE_UPDATE", "POST_PURCHASE_UPDATE"]);
  });

  it("50 messages through a 6-hour outage use a handful of tries each, /healthz says since when, and all go within seconds of JoinChat's return", async () => {
    h.standIn.set({ failNext: 1_000_000, failStatus: 503 });
    const start = clock.now();
    await seedDeliveries(h.app.ctx.db, 50, { runAt: start });
    await h.app.ctx.db.delivery.updateMany({ data: { createdAt: start } });
    await run(6);
    const during = await h.app.ctx.db.delivery.findMany();
    expect(during.every((d) => d.state === "scheduled")).toBe(true);
    expect(Math.max(...during.map((d) => d.attempts))).toBeLessThanOrEqual(2);
    const health = (await (await fetch(`${h.url}/healthz`)).json()) as { status: string; joinchat: { state: string; unreachableSince: string; lastError: string } };
    expect(health.status).toBe("degraded");
    expect(health.joinchat.state).toBe("unreachable");
    expect(new Date(health.joinchat.unreachableSince).getTime() - start.getTime()).toBeLessThan(6 * 60_000);
    expect(health.joinchat.lastError).toMatch(/JoinChat answered 503/);
    // The probes hammer nothing: one call per probe interval at most (72 steps of 5 minutes here).
    const callsDuring = h.standIn.calls.length;
    expect(callsDuring).toBeLessThan(50 + 2 * 72);

    h.standIn.set({ failNext: 0 });
    clock.advanceMinutes(0.1); // one probe interval (5 s) later
    await drain(h);
    const after = await h.app.ctx.db.delivery.findMany();
    expect(after.filter((d) => d.state === "sent")).toHaveLength(50);
    expect(new Set(h.standIn.messages.map((m) => m.raw)).size).toBe(50);
    expect(h.standIn.messages).toHaveLength(50);
    const healthAfter = (await (await fetch(`${h.url}/healthz`)).json()) as { joinchat: { state: string } };
    expect(healthAfter.joinchat.state).toBe("ok");
  });

  it("a receipt still failing after TRANSACTIONAL_RETRY_HOURS (24) becomes a dead letter that can be retried", async () => {
    h.standIn.set({ failNext: 1_000_000, failStatus: 503 });
    await seedDeliveries(h.app.ctx.db, 1, { runAt: clock.now() });
    await h.app.ctx.db.delivery.updateMany({ data: { createdAt: clock.now() } });
    await run(23.5, 30);
    expect((await h.app.ctx.db.delivery.findFirstOrThrow()).state).toBe("scheduled");
    await run(1.5, 30);
    const dead = await h.app.ctx.db.delivery.findFirstOrThrow();
    expect(dead.state).toBe("failed");
    expect(dead.lastError).toMatch(/^gave up after \d+ attempts: JoinChat answered 503/);
    h.standIn.set({ failNext: 0 });
    expect(await h.app.ctx.deliveries.retryFailed(SHOP, clock.now())).toBe(1);
    await drain(h);
    expect((await h.app.ctx.db.delivery.findFirstOrThrow()).state).toBe("sent");
  });

  it.each([
    ["1e308", "1e308"],
    ["a date in 2099", "Thu, 01 Jan 2099 00:00:00 GMT"],
  ])("Retry-After %s schedules the retry at the cap (JOINCHAT_RETRY_AFTER_MAX_MS, one hour)", async (_, header) => {
    h.standIn.set({ failNext: 1, failStatus: 503, retryAfter: header });
    await seedDeliveries(h.app.ctx.db, 1, { runAt: clock.now() });
    await drain(h);
    const row = await h.app.ctx.db.delivery.findFirstOrThrow();
    expect(row.state).toBe("scheduled");
    expect(row.runAt.getTime() - clock.now().getTime()).toBe(HOUR_MS);
    clock.advanceMinutes(60);
    await drain(h);
    expect((await h.app.ctx.db.delivery.findFirstOrThrow()).state).toBe("sent");
  });
});
