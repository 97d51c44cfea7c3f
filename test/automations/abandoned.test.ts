import { adminClient } from "../helpers/admin";
import { harnessPerTest } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";
import type { ButtonMessage, GenericMessage } from "../../src/messages/schema";

// The fixture's customer id (603851970716743426) is beyond 2^53: it must match exactly.
const CUSTOMER = "603851970716743426";
const checkoutBody = () => fixture("checkouts-create.json");

describe("abandoned-checkout recalls", () => {
  let clock: TestClock;
  const h = harnessPerTest({}, () => ({ background: false, clock: (clock = new TestClock()) }), configureShop);
  const states = async () => (await h.app.ctx.db.delivery.findMany({ where: { automation: "abandoned" }, orderBy: { key: "asc" } })).map((d) => [d.key.split(":").pop(), d.state]);

  it("sends one untagged carousel per step at the shop's delays, to the customer's uuid", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(h.url, checkoutBody(), { topic: "checkouts/create" });
    await drain(h);
    expect(h.standIn.messages).toHaveLength(0);
    expect(await states()).toEqual([
      ["1", "scheduled"],
      ["2", "scheduled"],
      ["3", "scheduled"],
    ]);
    clock.advanceMinutes(60);
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    const body = h.standIn.messages[0]!.body;
    expect(body.tag).toBeUndefined();
    expect(body.recipient).toEqual({ uuid: "uuid-john" });
    const m = body.message as GenericMessage;
    expect(m.template_type).toBe("generic");
    expect(m.elements.map((e) => e.title)).toEqual(["Dhoni Lightning Speed T-shirts", "Love Proposal T-shirt"]);
    // The greeting rides on the first card, above its line; the others carry their line alone.
    expect(m.elements[0]!.subtitle).toBe("John, you left these in your cart at Demo Store.\n1 × 499.00 INR");
    expect(m.elements[1]!.subtitle).toMatch(/^\d+ × [\d.]+ INR$/);
    expect(m.elements[0]!.buttons![0]).toMatchObject({ type: "web_url", url: expect.stringContaining("/checkouts/123123123/recover") });
    clock.advanceMinutes(420);
    await drain(h);
    expect(h.standIn.messages).toHaveLength(2);
  });

  it("sends no recall once the merchant turned recalls off, even one scheduled before, and says why", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(h.url, checkoutBody(), { topic: "checkouts/create" });
    await drain(h);
    const api = adminClient(h);
    expect((await api("PUT", "/admin/api/settings", { automations: { abandoned: false } })).status).toBe(200);
    // Each recall's time comes, all inside the customer's 24-hour window (60, 480, 1380 minutes).
    for (const minutes of [61, 420, 900]) {
      clock.advanceMinutes(minutes);
      await drain(h);
    }
    expect(h.standIn.messages).toHaveLength(0);
    expect(await states()).toEqual([
      ["1", "cancelled"],
      ["2", "cancelled"],
      ["3", "cancelled"],
    ]);
    const { body } = await api("GET", "/admin/api/deliveries?automation=abandoned");
    expect(body.deliveries[0].explanation).toBe("Not sent: you turned this automation off in Settings before the message was due.");
  });

  it("stops the recalls when the order arrives, and sends none after it", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(h.url, checkoutBody(), { topic: "checkouts/create" });
    await drain(h);
    clock.advanceMinutes(61);
    await drain(h);
    const order = editFixture("orders-create-3.json", (o) => (o.checkout_token = "123123123"));
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    clock.advanceMinutes(2000);
    await drain(h);
    expect(h.standIn.messages.filter((m) => m.body.message.template_type === "generic")).toHaveLength(1);
    expect(await states()).toEqual([
      ["1", "sent"],
      ["2", "cancelled"],
      ["3", "cancelled"],
    ]);
  });

  it("never schedules twice for five checkouts/update deliveries: updates re-schedule", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    for (let i = 0; i < 5; i++) {
      await postWebhook(h.url, checkoutBody(), { topic: i === 0 ? "checkouts/create" : "checkouts/update" });
      await drain(h);
      clock.advanceMinutes(10);
    }
    expect(await h.app.ctx.db.delivery.count()).toBe(3);
    const first = await h.app.ctx.db.delivery.findFirstOrThrow({ where: { key: { endsWith: ":1" } } });
    // Re-scheduled from the last update (40 minutes after the first), not from the first.
    expect(first.runAt.getTime()).toBe(clock.now().getTime() - 10 * 60_000 + 60 * 60_000);
    clock.advanceMinutes(60);
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
  });

  it("cancels the recalls of a checkout whose order arrived before the checkout's own webhook", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    const order = editFixture("orders-create-3.json", (o) => (o.checkout_token = "123123123"));
    await postWebhook(h.url, order, { topic: "orders/create" });
    await drain(h);
    await postWebhook(h.url, checkoutBody(), { topic: "checkouts/create" });
    await drain(h);
    clock.advanceMinutes(2000);
    await drain(h);
    expect(await states()).toEqual([
      ["1", "cancelled"],
      ["2", "cancelled"],
      ["3", "cancelled"],
    ]);
    expect(h.standIn.messages).toHaveLength(0);
  });

  it.each([
    ["cart token", (o: any) => ((o.checkout_token = null), (o.cart_token = "cart-abc"), (o.checkout_id = null)), (c: any) => (c.cart_token = "cart-abc")],
    ["checkout id", (o: any) => ((o.checkout_token = null), (o.cart_token = null), (o.checkout_id = "981820079255243537")), () => {}],
  ])("cancels the recalls of a checkout whose earlier order names it only by its %s", async (_name, editOrder, editCheckout) => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(h.url, editFixture("orders-create-3.json", editOrder), { topic: "orders/create" });
    await drain(h);
    await postWebhook(h.url, editFixture("checkouts-create.json", editCheckout), { topic: "checkouts/create" });
    await drain(h);
    clock.advanceMinutes(2000);
    await drain(h);
    expect(await states()).toEqual([
      ["1", "cancelled"],
      ["2", "cancelled"],
      ["3", "cancelled"],
    ]);
    expect(h.standIn.messages).toHaveLength(0);
  });

  it("cancels on completed_at", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(h.url, checkoutBody(), { topic: "checkouts/create" });
    const done = editFixture("checkouts-create.json", (c) => (c.completed_at = new Date().toISOString()));
    await postWebhook(h.url, done, { topic: "checkouts/update" });
    await drain(h);
    expect(await states()).toEqual([
      ["1", "cancelled"],
      ["2", "cancelled"],
      ["3", "cancelled"],
    ]);
  });

  it("ignores a checkouts/update triggered before one already applied (X-Shopify-Triggered-At)", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    const at = (url: string) => editFixture("checkouts-create.json", (c) => (c.abandoned_checkout_url = url));
    await postWebhook(h.url, at("https://shop.example/newer"), { topic: "checkouts/update", triggeredAt: "2026-12-02T10:00:05.000Z" });
    await drain(h);
    await postWebhook(h.url, at("https://shop.example/older"), { topic: "checkouts/update", triggeredAt: "2026-12-02T10:00:01.000Z" });
    await drain(h);
    const events = await h.app.ctx.db.webhookEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((e) => e.state)).toEqual(["processed", "skipped"]);
    expect(events[1]!.note).toMatch(/older change of the checkout/);
    const messages = await h.app.ctx.db.delivery.findMany({ where: { automation: "abandoned" } });
    expect(messages).toHaveLength(3);
    for (const d of messages) expect(d.message).toContain("https://shop.example/newer");
  });

  it("schedules recalls for a checkout without a top-level id (API 2026-04 and later)", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(
      h.url,
      editFixture("checkouts-create.json", (c) => delete c.id),
      { topic: "checkouts/create" },
    );
    await drain(h);
    expect(await states()).toEqual([
      ["1", "scheduled"],
      ["2", "scheduled"],
      ["3", "scheduled"],
    ]);
  });

  it("lets a newer checkout of the same customer supersede the older one", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(h.url, checkoutBody(), { topic: "checkouts/create" });
    const newer = editFixture("checkouts-create.json", (c) => (c.token = "456456456"));
    await postWebhook(h.url, newer, { topic: "checkouts/create" });
    await drain(h);
    const rows = await h.app.ctx.db.delivery.findMany({ orderBy: { key: "asc" } });
    expect(rows.filter((r) => r.key.includes(":123123123:")).map((r) => r.state)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(rows.filter((r) => r.key.includes(":456456456:")).map((r) => r.state)).toEqual(["scheduled", "scheduled", "scheduled"]);
  });

  it("reaches a guest through joinchat_uuid and uses a one-item button message", async () => {
    const guest = editFixture("checkouts-create.json", (c) => {
      c.customer = null;
      c.line_items = c.line_items.slice(0, 1);
      c.note_attributes = [{ name: "joinchat_uuid", value: "guest-uuid" }];
    });
    await h.app.ctx.links.link(SHOP, "guest-uuid", {}, clock.now());
    await postWebhook(h.url, guest, { topic: "checkouts/create" });
    await drain(h);
    clock.advanceMinutes(60);
    await drain(h);
    expect(h.standIn.messages).toHaveLength(1);
    const body = h.standIn.messages[0]!.body;
    expect(body.recipient).toEqual({ uuid: "guest-uuid" });
    expect(body.message).toMatchObject({ template_type: "button", buttons: [{ type: "web_url", title: "Complete order" }] });
  });

  it("schedules each step with its own text, and applies a step's coupon with its checkout button", async () => {
    const api = adminClient(h);
    expect((await api("PUT", "/admin/api/templates", { templates: { "abandoned.text_2": "Second nudge, {{first_name}}.{{coupon_phrase}}" } })).status).toBe(200);
    expect((await api("PUT", "/admin/api/settings", { recallSteps: { coupons: [null, "COMEBACK10"] } })).status).toBe(200);
    const oneItem = editFixture("checkouts-create.json", (c) => (c.line_items = c.line_items.slice(0, 1)));
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(h.url, oneItem, { topic: "checkouts/create" });
    await drain(h);
    // The outcome planned each step's own message, before any was due.
    const planned = await h.app.ctx.db.delivery.findMany({ where: { automation: "abandoned" }, orderBy: { key: "asc" } });
    const texts = planned.map((d) => (JSON.parse(d.message) as ButtonMessage).text);
    expect(texts).toEqual([
      "John, you left something in your cart at Demo Store. It is still waiting for you.",
      "Second nudge, John. Use code COMEBACK10: it is applied when you tap below.",
      "John, this is our last reminder: your cart at Demo Store will not be held much longer.",
    ]);
    for (const minutes of [60, 420, 900]) {
      clock.advanceMinutes(minutes);
      await drain(h);
    }
    const sent = h.standIn.messages.map((m) => m.body.message as ButtonMessage);
    expect(sent.map((m) => m.text)).toEqual(texts);
    const links = sent.map((m) => (m.buttons[0] as { url: string }).url);
    expect(links[0]).toBe("https://checkout.shopify.com/75876204774/checkouts/123123123/recover?key=example-secret-token");
    expect(links[1]).toBe(`https://${SHOP}/discount/COMEBACK10?redirect=${encodeURIComponent("/75876204774/checkouts/123123123/recover?key=example-secret-token")}`);
    expect(links[2]).toBe(links[0]);
  });

  it("sends nothing promotional once the customer's 24-hour window has closed, and the row says why", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, new Date(clock.now().getTime() - 20 * 3600_000));
    await postWebhook(h.url, checkoutBody(), { topic: "checkouts/create" });
    await drain(h);
    clock.advanceMinutes(60);
    await drain(h); // step 1 at +1 h: window (opened 20 h before) still open
    clock.advanceMinutes(420);
    await drain(h); // step 2 at +8 h: 28 h after the opt-in
    expect(h.standIn.messages).toHaveLength(1);
    const step2 = await h.app.ctx.db.delivery.findFirstOrThrow({ where: { key: { endsWith: ":2" } } });
    expect(step2.state).toBe("skipped");
    expect(step2.lastError).toMatch(/24-hour window has closed/);
  });

  it("stops a recipient's recalls once JoinChat answers it does not know them (10010), until they opt in again", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    h.standIn.set({ unknownRecipients: ["uuid-john"] });
    await postWebhook(h.url, checkoutBody(), { topic: "checkouts/create" });
    await drain(h);
    clock.advanceMinutes(60);
    await drain(h);
    const rows = await h.app.ctx.db.delivery.findMany({ where: { automation: "abandoned" }, orderBy: { key: "asc" } });
    expect(rows.map((d) => [d.state, d.joinchatCode])).toEqual([
      ["failed", "10010"],
      ["cancelled", null],
      ["cancelled", null],
    ]);
    expect(rows[1]!.lastError).toMatch(/^JoinChat does not know this recipient \(10010\)/);
    expect(h.standIn.calls).toHaveLength(1);

    // Another checkout of theirs schedules nothing while they stay unknown...
    const another = editFixture("checkouts-create.json", (c) => (c.token = "another-token"));
    clock.advanceMinutes(1);
    await postWebhook(h.url, another, { topic: "checkouts/create" });
    await drain(h);
    expect(await h.app.ctx.db.delivery.count({ where: { automation: "abandoned", state: "scheduled" } })).toBe(0);

    // ...and after a new Send to Messenger click, the next checkout's recalls are scheduled again.
    clock.advanceMinutes(1);
    await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CUSTOMER }, clock.now());
    await postWebhook(
      h.url,
      editFixture("checkouts-create.json", (c) => (c.token = "third-token")),
      { topic: "checkouts/create" },
    );
    await drain(h);
    expect(await h.app.ctx.db.delivery.count({ where: { automation: "abandoned", state: "scheduled" } })).toBe(3);
  });
});
