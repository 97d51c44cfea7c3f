import { harnessPerTest, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";
import { editFixture, postWebhook } from "../helpers/webhooks";
import { writeOutcomes, type OutcomeToWrite } from "../../src/events/outcome-writer";
import { subjectsOf } from "../../src/events/event-subjects";
import type { EventOutcome } from "../../src/automations/contract";
import type { PlannedDelivery } from "../../src/store/delivery-plan";
import type { StoredEvent } from "../../src/store/events";
import { EVENT_GONE } from "../../src/store/sql/write-outcome";

const CUSTOMER = "8658316394796";

/** Stored events, claimed as the processor would claim them. */
async function claimedEvents(h: Harness, keys: string[]): Promise<StoredEvent[]> {
  const incoming = keys.map((eventKey) => ({
    shopDomain: SHOP,
    topic: "orders/create",
    eventKey,
    webhookId: null,
    apiVersion: null,
    triggeredAt: null,
    customerId: null,
    payload: Buffer.from("{}"),
    state: "received" as const,
    note: null,
  }));
  await h.app.ctx.events.insertMany(incoming, h.app.ctx.clock.now());
  const claimed = await h.app.ctx.events.claim(keys.length, "test", h.app.ctx.clock.claimTime(), 60_000);
  return keys.map((k) => claimed.find((e) => e.eventKey === k)!);
}

const message = (key: string, subjectKey: string | null = null): PlannedDelivery => ({
  key,
  automation: "receipt",
  recipient: { uuid: `uuid-${key}` },
  customerId: null,
  message: { template_type: "text", text: `message ${key}` },
  promotional: false,
  windowOpenedAt: null,
  subjectKey,
  runAt: new Date(),
});

const write = (event: StoredEvent, outcome: EventOutcome): OutcomeToWrite => ({ event, found: { customerId: null, traces: null }, outcome, at: new Date() });

describe("a pass's outcomes written in one commit (writeOutcomes)", () => {
  const h = harnessPerTest({}, { background: false });
  const rows = () => h.app.ctx.db.delivery.findMany({ orderBy: { key: "asc" }, select: { key: true, state: true, reasonCode: true, message: true, eventId: true } });
  const stateOf = (id: string) => h.app.ctx.db.webhookEvent.findUniqueOrThrow({ where: { id }, select: { state: true } });

  it("falls back event by event when the database refuses the batch: the poison outcome fails alone, the others are written", async () => {
    await h.app.ctx.db.$executeRawUnsafe(`CREATE TRIGGER refuse BEFORE INSERT ON "Delivery" WHEN NEW."key" = 'poison' BEGIN SELECT RAISE(ABORT, 'refused by the database'); END`);
    const [a, poison, c] = await claimedEvents(h, ["a", "poison", "c"]);
    const errors = await writeOutcomes(h.app.ctx.database, [
      write(a!, { state: "processed", deliveries: [message("a")] }),
      write(poison!, { state: "processed", deliveries: [message("poison")] }),
      write(c!, { state: "skipped", note: "nothing to send" }),
    ]);
    expect(errors.map((e) => e?.message ?? null)).toEqual([null, expect.stringContaining("refused by the database"), null]);
    expect((await rows()).map((r) => r.key)).toEqual(["a"]);
    expect(await stateOf(a!.id)).toEqual({ state: "processed" });
    // Left as claimed, for the processor to record its failure.
    expect(await stateOf(poison!.id)).toEqual({ state: "processing" });
    expect(await stateOf(c!.id)).toEqual({ state: "skipped" });
  });

  it("writes nothing of an outcome whose event is gone (redacted meanwhile), and says so", async () => {
    const [gone, kept] = await claimedEvents(h, ["gone", "kept"]);
    await h.app.ctx.db.webhookEvent.delete({ where: { id: gone!.id } });
    const errors = await writeOutcomes(h.app.ctx.database, [
      write(gone!, { state: "processed", deliveries: [message("gone")] }),
      write(kept!, { state: "processed", deliveries: [message("kept")] }),
    ]);
    expect(errors.map((e) => e?.message ?? null)).toEqual([expect.stringContaining(EVENT_GONE), null]);
    expect((await rows()).map((r) => r.key)).toEqual(["kept"]);
  });

  it("writes a batch in order: a subject closed by an earlier outcome cancels a later one's message; a key scheduled twice is one row, as the later outcome left it", async () => {
    const [first, second, third] = await claimedEvents(h, ["first", "second", "third"]);
    const errors = await writeOutcomes(h.app.ctx.database, [
      write(first!, { state: "processed", deliveries: [message("same", "order:1")] }),
      write(second!, { state: "processed", deliveries: [{ ...message("same", "order:1"), message: { template_type: "text", text: "again" } }] }),
      write(third!, {
        state: "processed",
        close: [{ subjectKey: "checkout:9", code: "order_placed", reason: "checkout completed" }],
        deliveries: [message("late", "checkout:9")],
      }),
    ]);
    expect(errors).toEqual([null, null, null]);
    expect(await rows()).toEqual([
      { key: "late", state: "cancelled", reasonCode: "order_placed", message: expect.any(String), eventId: third!.id },
      { key: "same", state: "scheduled", reasonCode: null, message: JSON.stringify({ template_type: "text", text: "again" }), eventId: second!.id },
    ]);
  });
});

const order = (id: number, customer: string | null) =>
  editFixture("orders-create.json", (p) => {
    p.id = id;
    p.name = `#${id}`;
    p.email = null;
    p.phone = null;
    p.checkout_token = `checkout-${id}`;
    p.cart_token = `cart-${id}`;
    p.checkout_id = id + 5;
    if (customer) p.customer = { ...p.customer, id: Number(customer), email: null, phone: null };
    else p.customer = null;
  })
    // Each order's buyer their own: the addresses' emails and phones tell people apart too.
    .replaceAll("alan@example.com", `buyer-${id}@example.com`)
    .replaceAll("+85200000000", `+852000${id}`);

/** A fulfillment of the order that names no one: its notice can only go where the order's receipt went. */
const fulfillment = (orderId: number) =>
  JSON.stringify({ id: orderId + 100, order_id: orderId, status: "success", tracking_company: "SF Express", tracking_number: "SF1", tracking_numbers: ["SF1"], name: "#1.1" });

describe("the event processor's pass", () => {
  const h = harnessPerTest({}, { background: false }, async (h) => {
    await configureShop(h);
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: CUSTOMER }, h.app.ctx.clock.now());
  });

  it("handles an event about a subject a pending outcome is about only after that outcome is committed: the shipping notice finds the receipt of the same pass", async () => {
    await postWebhook(h.url, order(1001, CUSTOMER), { topic: "orders/create", eventId: "order" });
    await postWebhook(h.url, fulfillment(1001), { topic: "fulfillments/create", eventId: "fulfillment" });
    expect(await h.app.processor!.runOnce()).toBe(2);
    const notice = await h.app.ctx.db.delivery.findFirst({ where: { automation: "shipping" }, select: { recipient: true } });
    expect(notice && JSON.parse(notice.recipient)).toEqual({ uuid: "uuid-alan" });
  });

  it("writes the outcomes of unrelated events in one commit", async () => {
    for (const id of [1001, 1002, 1003]) await postWebhook(h.url, order(id, CUSTOMER.replace(/.$/, String(id % 10))), { topic: "orders/create", eventId: `order-${id}` });
    const writeAll = jest.spyOn(h.app.ctx.database, "writeAll");
    expect(await h.app.processor!.runOnce()).toBe(3);
    expect(writeAll).toHaveBeenCalledTimes(1);
    expect(await h.app.ctx.events.countByState()).toEqual({ skipped: 3 });
  });
});

describe("what an event is about (subjectsOf)", () => {
  it("names an order, its checkout and its customer the same way whichever topic carries them", () => {
    const ofOrder = subjectsOf("orders/create", { id: 1, checkout_token: "tok", cart_token: "cart", checkout_id: 7 }, "42", " o:1 ");
    expect(ofOrder).toEqual(["o:1", "c:42", "t:tok", "k:cart", "i:7"]);
    expect(subjectsOf("checkouts/update", { id: 7, token: "tok", cart_token: "cart" }, null, " ")).toEqual(["t:tok", "k:cart", "i:7"]);
    expect(subjectsOf("fulfillments/create", { id: 5, order_id: 1 }, null, " o:1 ")).toEqual(["o:1"]);
  });
});
