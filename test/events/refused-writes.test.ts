import { harnessPerTest } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, postWebhook } from "../helpers/webhooks";
import { MAX_EVENT_ATTEMPTS } from "../../src/automations/contract";

/** A shop without JoinChat settings: its orders end skipped, written with the pass's others in one commit. */
const IDLE_SHOP = "idle-store.myshopify.com";

const order = (id: number, shop = SHOP) =>
  editFixture("orders-create.json", (p) => {
    p.id = id;
    p.name = `#${id}`;
    p.order_status_url = String(p.order_status_url).replace(SHOP, shop);
  });

describe("an event whose outcome the database refuses", () => {
  const h = harnessPerTest(
    {},
    () => ({ background: false, clock: new TestClock() }),
    async (h) => {
      await configureShop(h);
      await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, h.app.ctx.clock.now());
    },
  );
  const clock = () => h.app.ctx.clock as TestClock;
  const eventOf = (eventKey: string) => h.app.ctx.db.webhookEvent.findFirstOrThrow({ where: { eventKey } });
  /** A trigger standing for a value the database cannot hold: every write of the event's end named by `when` is refused. */
  const refuse = (when: string) =>
    h.app.ctx.db.$executeRawUnsafe(`CREATE TRIGGER refuse BEFORE UPDATE ON "WebhookEvent" WHEN ${when} BEGIN SELECT RAISE(ABORT, 'refused by the database'); END`);

  it("fails alone: its neighbours in the same pass are handled, and it counts attempts up to failed with the database's reason", async () => {
    await refuse(`NEW."eventKey" IN ('refused-receipt', 'refused-skip') AND NEW."state" IN ('processed', 'skipped')`);
    await postWebhook(h.url, order(1001), { topic: "orders/create", eventId: "receipt" });
    // Written by writeOutcome (a message to schedule), in a transaction of its own.
    await postWebhook(h.url, order(1002), { topic: "orders/create", eventId: "refused-receipt" });
    await postWebhook(h.url, order(1003), { topic: "orders/create", eventId: "receipt-after" });
    // Written together by one commit for the pass (skipped: the shop has no JoinChat settings).
    await postWebhook(h.url, order(2001, IDLE_SHOP), { topic: "orders/create", eventId: "skip", shop: IDLE_SHOP });
    await postWebhook(h.url, order(2002, IDLE_SHOP), { topic: "orders/create", eventId: "refused-skip", shop: IDLE_SHOP });

    expect(await h.app.processor!.runOnce()).toBe(5);
    for (const key of ["refused-receipt", "refused-skip"]) {
      const e = await eventOf(key);
      expect([e.state, e.attempts, e.note]).toEqual(["retry", 1, expect.stringContaining("refused by the database")]);
    }
    expect((await eventOf("skip")).state).toBe("skipped");
    await drain(h);
    expect(h.standIn.messages.map((m) => (m.body.message as { order_number?: string }).order_number)).toEqual(["#1001", "#1003"]);

    for (let i = 0; i < MAX_EVENT_ATTEMPTS; i++) {
      clock().advanceMinutes(60);
      await drain(h);
    }
    for (const key of ["refused-receipt", "refused-skip"]) {
      const e = await eventOf(key);
      expect([e.state, e.attempts, e.note]).toEqual(["failed", MAX_EVENT_ATTEMPTS, expect.stringContaining("refused by the database")]);
    }
    // Listed in the admin with the other failed events, to be tried again.
    expect((await h.app.ctx.events.listForShop(SHOP, "failed", 10)).map((e) => e.note)).toEqual([expect.stringContaining("refused by the database")]);
    expect(h.standIn.messages).toHaveLength(2);
  });

  it("is given up on once claimed more than MAX_EVENT_ATTEMPTS times, even when not even its failure can be written", async () => {
    await refuse(`NEW."eventKey" = 'unwritable' AND NEW."state" <> 'processing' AND NEW."attempts" <= ${MAX_EVENT_ATTEMPTS}`);
    await postWebhook(h.url, order(1002), { topic: "orders/create", eventId: "unwritable" });
    for (let i = 0; i < MAX_EVENT_ATTEMPTS; i++) {
      expect(await h.app.processor!.runOnce()).toBe(1);
      expect((await eventOf("unwritable")).state).toBe("processing");
      // Past the lease: the processor takes it for abandoned and claims it again.
      clock().advanceMinutes(2);
    }
    expect(await h.app.processor!.runOnce()).toBe(1);
    const e = await eventOf("unwritable");
    expect([e.state, e.attempts, e.note]).toEqual(["failed", MAX_EVENT_ATTEMPTS + 1, `claimed ${MAX_EVENT_ATTEMPTS + 1} times without its end being written`]);
    await drain(h);
    expect(h.standIn.messages).toHaveLength(0);
  });
});
