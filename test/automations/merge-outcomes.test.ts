import { mergeOutcomes, processed, skipped, unsent, type EventOutcome } from "../../src/automations/contract";
import type { PlannedDelivery } from "../../src/store/delivery-plan";

/** Enough of a planned message to tell two apart: the merge copies them, it does not read them. */
const planned = (key: string) => ({ key }) as PlannedDelivery;
const closed = (subjectKey: string) => ({ subjectKey, code: "no_payment_needed" as const, reason: "paid" });

describe("one event's outcome from the automations answering its topic (mergeOutcomes)", () => {
  it("hands back a lone outcome as it is", () => {
    const only: EventOutcome = { ...skipped("receipt automation is off"), close: [] };
    expect(mergeOutcomes([only])).toBe(only);
  });

  it("is processed when any part is, with their messages and closed subjects together, in order", () => {
    const receipt: EventOutcome = { ...skipped("receipt automation is off"), close: [closed("checkout:1")] };
    const reminder: EventOutcome = { state: "processed", deliveries: [planned("payment-reminder:a")] };
    expect(mergeOutcomes([receipt, reminder])).toEqual({
      state: "processed",
      note: "receipt automation is off",
      deliveries: [planned("payment-reminder:a")],
      close: [closed("checkout:1")],
    });
  });

  it("stays skipped when no part did anything, and a part with nothing to say leaves the other's note alone", () => {
    expect(mergeOutcomes([skipped("receipt automation is off"), { state: "skipped" }])).toEqual(skipped("receipt automation is off"));
  });

  it("joins different notes once each", () => {
    expect(mergeOutcomes([processed("no recipient: none"), { state: "skipped", note: "no recipient: none" }, skipped("no status page")]).note).toBe(
      "no recipient: none; no status page",
    );
  });

  it("keeps the facts an event has one of from the part that gives them, and refuses two", () => {
    const order = { orderId: "1", orderName: "#1", total: "1.00", currency: "USD", paid: true, customerId: null, recipient: null };
    const receipt: EventOutcome = { ...unsent("receipt", "order:1", "no_recipient", "no recipient"), order };
    expect(mergeOutcomes([receipt, { state: "skipped" }])).toEqual(receipt);
    expect(() => mergeOutcomes([receipt, { ...processed(), order }])).toThrow("both gave the event's order");
  });
});
