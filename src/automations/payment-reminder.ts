import { buttonMessage, urlButton } from "../messages/builders";
import type { ButtonMessage } from "../messages/schema";
import { webUrl } from "../messages/urls";
import { AUTOMATIONS, policyFor } from "../policy/automations";
import { subjectKey } from "../store/keys";
import type { ShopRecord } from "../store/shops";
import { on, processed, type EventHandler, type EventOutcome, type SampleMessages } from "./contract";
import { orderSchema, type Order } from "./payloads";
import { orderRecipient } from "./order-recipient";
import { orderTotal } from "./receipt-figures";
import { SAMPLE_ORDER } from "./samples";
import { renderText } from "./templates";

/** Shopify's financial_status of an order placed without payment (bank transfer, cash on delivery, manual payment). */
export const UNPAID_STATUS = "pending";

/** Why a scheduled reminder is cancelled: the order no longer waits for payment. */
export const reminderNotNeeded = (why: "paid" | "cancelled", order: Order) => `order ${order.name ?? order.id} ${why}: no payment reminder needed`;

/**
 * The reminder: the order, what it costs, and a button to the order status page. That is where
 * Shopify sends a buyer about their order, and the only link the order webhook carries: an order
 * webhook has no invoice or payment link (Shopify's invoice checkout goes out by email when the
 * merchant sends one; additionalPaymentCollectionUrl is for edited orders, through the Admin API).
 * The status page shows the payment still due and the payment method's instructions (bank
 * details, cash on delivery), and offers to pay where Shopify can take the payment.
 */
export function buildPaymentReminder(s: ShopRecord, order: Order, total: { total: string; currency: string }, payUrl: string): ButtonMessage {
  const firstName = order.customer?.first_name ?? order.billing_address?.first_name ?? undefined;
  const text = renderText(s, "payment_reminder.text", {
    first_name: firstName ?? undefined,
    order_name: order.name ?? `#${order.id}`,
    total: `${total.total} ${total.currency}`,
  });
  return buttonMessage(text, [urlButton(renderText(s, "payment_reminder.button", {}), payUrl)]);
}

/**
 * orders/create, orders/paid and orders/cancelled, the reminder's side of an order: orders/create
 * of an unpaid order schedules ONE reminder, `delayMinutes` after the order was placed;
 * orders/paid and orders/cancelled close the order's payment subject, so a reminder still
 * scheduled is cancelled with the reason, and one an orders/create delivered late would schedule
 * is written cancelled (closed subjects are checked by src/events/outcome-writer.ts).
 *
 * The receipt answers orders/create and orders/paid too, and the topic table merges the two
 * outcomes: where the reminder has nothing to do it says skipped with no note, so the event's
 * state and note are the receipt's. The reminder goes only inside the recipient's 24-hour
 * window, untagged (src/policy/automations.ts): past it the worker records it skipped.
 */
export const paymentReminder: EventHandler<Order> = async (e) => {
  const { ctx, event, payload: order } = e;
  const s = e.shop!;
  const subject = subjectKey.payment(order.id);
  if (event.topic === "orders/cancelled") return { ...processed(), close: [{ subjectKey: subject, code: "no_payment_needed", reason: reminderNotNeeded("cancelled", order) }] };
  if (event.topic === "orders/paid") return { ...nothingToDo, close: [{ subjectKey: subject, code: "no_payment_needed", reason: reminderNotNeeded("paid", order) }] };
  if (order.financial_status !== UNPAID_STATUS || !s.settings.paymentReminder.enabled) return nothingToDo;
  const payUrl = webUrl(order.order_status_url);
  if (!payUrl) return { ...nothingToDo, note: "payment reminder: the order has no order status page to pay on" };
  const to = await orderRecipient(e);
  if (!to.recipient) return { ...nothingToDo, note: `no recipient: ${to.reason}` };
  const now = ctx.clock.now();
  const placed = Date.parse(order.created_at ?? "");
  const due = (Number.isNaN(placed) ? now.getTime() : placed) + s.settings.paymentReminder.delayMinutes * 60_000;
  const policy = policyFor("payment_reminder", s.settings);
  return {
    state: "processed",
    deliveries: [
      {
        key: AUTOMATIONS.payment_reminder.key(s.domain, order.id),
        automation: "payment_reminder",
        recipient: to.recipient,
        customerId: order.customer?.id ?? null,
        message: buildPaymentReminder(s, order, orderTotal(order), payUrl),
        tag: policy.tag,
        promotional: policy.promotional,
        windowOpenedAt: to.windowOpenedAt,
        subjectKey: subject,
        runAt: new Date(Math.max(now.getTime(), due)),
      },
    ],
  };
};

/** What the reminder says of an order it has nothing to send for: the receipt's outcome of the same event stands. */
const nothingToDo: EventOutcome = { state: "skipped" };

/** payment_reminder: its topics, read through orderSchema. */
const SAMPLE_STATUS_URL = "https://example.com/orders/sample/authenticate?key=sample";
const SAMPLE_UNPAID_ORDER = orderSchema.parse({ ...SAMPLE_ORDER, financial_status: UNPAID_STATUS, payment_gateway_names: ["bank_transfer"], order_status_url: SAMPLE_STATUS_URL });

const previewPaymentReminder = (s: ShopRecord): SampleMessages => ({
  message: buildPaymentReminder(s, SAMPLE_UNPAID_ORDER, { total: "73.45", currency: "USD" }, SAMPLE_STATUS_URL),
  alternatives: [],
});

export const paymentReminderRegistration = on("payment_reminder", ["orders/create", "orders/paid", "orders/cancelled"], orderSchema, paymentReminder, previewPaymentReminder);
