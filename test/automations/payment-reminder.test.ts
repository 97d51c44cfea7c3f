import { startHarness, type Harness } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, postWebhook } from "../helpers/webhooks";
import type { ButtonMessage } from "../../src/messages/schema";

const ORDER_ID = "6198432301356";
const ORDER_STATUS_URL = "https://demo-store.myshopify.com/91740864812/orders/a1b210c8aa20bd2ea3b459f2decec7a6/authenticate?key=cc6a9100cebe1b045f08b2c766d78ec0";
const REMINDER_KEY = `payment-reminder:${SHOP}:${ORDER_ID}`;

describe("payment reminder of an unpaid order (orders/create pending, orders/paid, orders/cancelled)", () => {
  let h: Harness;
  let clock: TestClock;
  /** The fixture order as placed now, unpaid by bank transfer, or with another financial status. */
  const order = (financialStatus = "pending") =>
    editFixture("orders-create.json", (o) => {
      o.financial_status = financialStatus;
      o.payment_gateway_names = financialStatus === "pending" ? ["Bank Deposit"] : o.payment_gateway_names;
      o.created_at = clock.now().toISOString();
    });
  const reminder = () => h.app.ctx.db.delivery.findUnique({ where: { key: REMINDER_KEY } });
  const reminders = () => h.standIn.messages.filter((m) => m.body.message.template_type === "button");

  beforeEach(async () => {
    clock = new TestClock();
    h = await startHarness({}, { background: false, clock });
    await configureShop(h, { settings: { paymentReminder: { enabled: true, delayMinutes: 60 } } });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, clock.now());
  });
  afterEach(() => h.close());

  it("schedules one reminder an hour after the order, and sends it when due with the order status page to pay on", async () => {
    await postWebhook(h.url, order(), { topic: "orders/create" });
    await postWebhook(h.url, order(), { topic: "orders/create" });
    await drain(h);
    // The receipt goes at once; the reminder waits.
    expect(h.standIn.messages.map((m) => m.body.message.template_type)).toEqual(["receipt"]);
    const scheduled = await reminder();
    expect(scheduled).toMatchObject({ state: "scheduled", automation: "payment_reminder", promotional: true, tag: null, subjectKey: `payment:${ORDER_ID}` });
    expect(scheduled!.runAt.getTime()).toBe(clock.now().getTime() + 60 * 60_000);
    expect(await h.app.ctx.db.delivery.count({ where: { automation: "payment_reminder" } })).toBe(1);

    clock.advanceMinutes(59);
    await drain(h);
    expect(reminders()).toHaveLength(0);
    clock.advanceMinutes(1);
    await drain(h);
    expect(reminders()).toHaveLength(1);
    const body = reminders()[0]!.body;
    expect(body.recipient).toEqual({ uuid: "uuid-alan" });
    expect(body.tag).toBeUndefined();
    const m = body.message as ButtonMessage;
    expect(m.text).toBe("Alan, your order #1054 at Demo Store is still waiting for payment (394.00 HKD). Tap below to see how to pay, and we will get it ready for you.");
    expect(m.buttons).toEqual([{ type: "web_url", title: "Complete payment", url: ORDER_STATUS_URL }]);
    expect((await reminder())!.state).toBe("sent");
  });

  it("is cancelled, with the reason, when orders/paid arrives before it is due", async () => {
    await postWebhook(h.url, order(), { topic: "orders/create" });
    await drain(h);
    clock.advanceMinutes(30);
    await postWebhook(h.url, order("paid"), { topic: "orders/paid" });
    await drain(h);
    expect(await reminder()).toMatchObject({ state: "cancelled", lastError: "order #1054 paid: no payment reminder needed" });
    clock.advanceMinutes(120);
    await drain(h);
    expect(reminders()).toHaveLength(0);
  });

  it("is never scheduled when orders/paid arrived before orders/create", async () => {
    await postWebhook(h.url, order("paid"), { topic: "orders/paid" });
    await drain(h);
    await postWebhook(h.url, order(), { topic: "orders/create" });
    await drain(h);
    expect(await reminder()).toMatchObject({ state: "cancelled", lastError: "order #1054 paid: no payment reminder needed" });
    clock.advanceMinutes(120);
    await drain(h);
    expect(reminders()).toHaveLength(0);
  });

  it("is cancelled when the order is cancelled (orders/cancelled)", async () => {
    await postWebhook(h.url, order(), { topic: "orders/create" });
    await drain(h);
    await postWebhook(h.url, order("voided"), { topic: "orders/cancelled" });
    await drain(h);
    expect(await reminder()).toMatchObject({ state: "cancelled", lastError: "order #1054 cancelled: no payment reminder needed" });
  });

  it("is not scheduled for an order placed paid, nor when the shop left the reminder off (the default)", async () => {
    await postWebhook(h.url, order("paid"), { topic: "orders/create" });
    await drain(h);
    expect(await reminder()).toBeNull();
    expect(h.standIn.messages.map((m) => m.body.message.template_type)).toEqual(["receipt"]);

    await h.app.ctx.db.shop.update({ where: { domain: SHOP }, data: { settings: "{}" } });
    await postWebhook(h.url, order(), { topic: "orders/create" });
    await drain(h);
    expect(await reminder()).toBeNull();
  });

  it("goes only inside the recipient's 24-hour window: one due after it closes is skipped, untagged, with the reason", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date(clock.now().getTime() - 23.5 * 3_600_000));
    await postWebhook(h.url, order(), { topic: "orders/create" });
    await drain(h);
    clock.advanceMinutes(60);
    await drain(h);
    expect(reminders()).toHaveLength(0);
    expect(await reminder()).toMatchObject({ state: "skipped", lastError: "promotional message and the recipient's 24-hour window has closed" });
  });
});
