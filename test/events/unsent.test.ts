import { adminClient } from "../helpers/admin";
import { harnessPerTest } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";
import { REASONS } from "../../src/policy/reasons";

// checkouts-create.json's customer (John Smith, example@email.com).
const CUSTOMER = "603851970716743426";

describe("messages never made are in the delivery log, with why", () => {
  let clock: TestClock;
  const h = harnessPerTest({}, () => ({ background: false, clock: (clock = new TestClock()) }), configureShop);

  it("an order nobody can be reached for is listed skipped with the reason in plain words, found by its number, and Results count it", async () => {
    await postWebhook(h.url, fixture("orders-create-3.json"), { topic: "orders/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(0);
    const api = adminClient(h);
    const { body } = await api("GET", "/admin/api/deliveries?order=1053");
    expect(body.deliveries).toHaveLength(1);
    expect(body.deliveries[0]).toMatchObject({ automation: "receipt", state: "skipped", recipient: null, orderName: "#1053", explanation: REASONS.no_recipient });
    expect(body.deliveries[0].lastError).toMatch(/^no recipient: /);
    expect((await api("GET", "/admin/api/deliveries?order=1054")).body.deliveries).toHaveLength(0);
    const results = (await api("GET", "/admin/api/results?days=7")).body;
    expect(results.reasons.receipt).toEqual([{ state: "skipped", reason: REASONS.no_recipient, count: 1 }]);
  });

  it("a checkout with no one to recall is one row however often it changes, and the row goes once a change can be recalled", async () => {
    const api = adminClient(h);
    const abandoned = async () => (await api("GET", "/admin/api/deliveries?automation=abandoned")).body.deliveries as { state: string; reasonCode?: string; explanation: string }[];
    await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
    await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/update" });
    await drain(h);
    expect((await abandoned()).map((d) => [d.state, d.explanation])).toEqual([["skipped", REASONS.no_recipient]]);
    // Found by the customer's name or email.
    expect((await api("GET", "/admin/api/deliveries?q=john%20smith")).body.deliveries).toHaveLength(1);
    expect((await api("GET", "/admin/api/deliveries?q=EXAMPLE@email")).body.deliveries).toHaveLength(1);
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/update" });
    await drain(h);
    expect((await abandoned()).map((d) => d.state)).toEqual(["scheduled", "scheduled", "scheduled"]);
    // The recalls are found by the uuid they go to.
    expect((await api("GET", "/admin/api/deliveries?q=uuid-john")).body.deliveries).toHaveLength(3);
  });

  it("a sent message shows what was notable when it was made (the static code stood in for a unique one)", async () => {
    const event = await h.app.ctx.db.webhookEvent.create({
      data: { shopDomain: SHOP, topic: "customers/create", eventKey: "e-1", state: "processed", note: "unique codes need the app installed: the static code was used" },
    });
    await h.app.ctx.db.delivery.create({
      data: {
        key: "welcome:x",
        shopDomain: SHOP,
        automation: "welcome",
        recipientKey: `${SHOP}|uuid:u`,
        recipient: '{"uuid":"u"}',
        message: "{}",
        runAt: clock.now(),
        state: "sent",
        eventId: event.id,
      },
    });
    const { body } = await adminClient(h)("GET", "/admin/api/deliveries");
    expect(body.deliveries[0].eventNote).toBe("unique codes need the app installed: the static code was used");
  });

  it("refuses a date it cannot read, naming the field", async () => {
    const r = await adminClient(h)("GET", "/admin/api/deliveries?from=yesterday");
    expect([r.status, r.body.field]).toEqual([400, "from"]);
  });
});
