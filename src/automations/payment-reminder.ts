import { buttonMessage, urlButton } from "../messages/builders";
import type { ButtonMessage } from "../messages/schema";
import { webUrl } from "../messages/urls";
import { AUTOMATIONS, policyFor } from "../policy/automations";
import type { Resolved } from "../recipients/resolver";
import type { PlannedDelivery } from "../store/delivery-plan";
import { subjectKey } from "../store/keys";
import type { ShopRecord } from "../store/shops";
import { on, processed, type EventHandler, type EventOutcome, type SampleMessages } from "./contract";
import { orderSchema, type Order } from "./payloads";
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
 * The payment side of an orders/* event, which the receipt handler (src/automations/receipt.ts)
 * adds to its outcome: orders/create of an unpaid order schedules ONE reminder, `delayMinutes`
 * after the order was placed; orders/paid closes the order's payment subject, so a reminder still
 * scheduled is cancelled with the reason, and one an orders/create delivered late would schedule
 * is written cancelled (closed subjects are checked by src/events/outcome-writer.ts).
 *
 * The reminder goes only inside the recipient's 24-hour window, untagged (src/policy/automations.ts):
 * past it the worker records it skipped. `recipient` is the receipt's own resolution.
 */
export async function paymentReminderPart(
  e: { event: { topic: string }; payload: Order; shop: ShopRecord | null; now: Date },
  recipient: () => Promise<Resolved>,
  total: { total: string; currency: string },
): Promise<{ close: NonNullable<EventOutcome["close"]>; delivery: PlannedDelivery | null; note: string | null }> {
  const { payload: order, now } = e;
  const s = e.shop!;
  const subject = subjectKey.payment(order.id);
  if (e.event.topic === "orders/paid") return { close: [{ subjectKey: subject, code: "no_payment_needed", reason: reminderNotNeeded("paid", order) }], delivery: null, note: null };
  const none = (note: string | null) => ({ close: [], delivery: null, note });
  if (e.event.topic !== "orders/create" || order.financial_status !== UNPAID_STATUS) return none(null);
  if (!s.settings.paymentReminder.enabled) return none(null);
  const payUrl = webUrl(order.order_status_url);
  if (!payUrl) return none("payment reminder: the order has no order status page to pay on");
  const to = await recipient();
  if (!to.recipient) return none(`no recipient: ${to.reason}`);
  const placed = Date.parse(order.created_at ?? "");
  const due = (Number.isNaN(placed) ? now.getTime() : placed) + s.settings.paymentReminder.delayMinutes * 60_000;
  const policy = policyFor("payment_reminder", s.settings);
  return {
    close: [],
    note: null,
    delivery: {
      key: AUTOMATIONS.payment_reminder.key(s.domain, order.id),
      automation: "payment_reminder",
      recipient: to.recipient,
      customerId: order.customer?.id ?? null,
      message: buildPaymentReminder(s, order, total, payUrl),
      tag: policy.tag,
      promotional: policy.promotional,
      windowOpenedAt: to.windowOpenedAt,
      subjectKey: subject,
      runAt: new Date(Math.max(now.getTime(), due)),
    },
  };
}

/** orders/cancelled: a cancelled order is not to be paid, so its reminder, if one is scheduled, is cancelled. */
export const orderCancelled: EventHandler<Order> = async ({ payload: order }) => ({
  ...processed(),
  close: [{ subjectKey: subjectKey.payment(order.id), code: "no_payment_needed", reason: reminderNotNeeded("cancelled", order) }],
});

/** payment_reminder: its topics, read through orderSchema. */
const SAMPLE_STATUS_URL = "https://example.com/orders/sample/authenticate?key=sample";
const SAMPLE_UNPAID_ORDER = orderSchema.parse({ ...SAMPLE_ORDER, financial_status: UNPAID_STATUS, payment_gateway_names: ["bank_transfer"], order_status_url: SAMPLE_STATUS_URL });

const previewPaymentReminder = (s: ShopRecord): SampleMessages => ({
  message: buildPaymentReminder(s, SAMPLE_UNPAID_ORDER, { total: "73.45", currency: "USD" }, SAMPLE_STATUS_URL),
  alternatives: [],
});

export const orderCancelledRegistration = on("payment_reminder", ["orders/cancelled"], orderSchema, orderCancelled, previewPaymentReminder);
