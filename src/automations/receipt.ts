import { receiptMessage } from "../messages/builders";
import type { ReceiptMessage, Recipient } from "../messages/schema";
import { on, processed, skipped, unsent, type EventHandler, type RecoveredOrder, type SampleMessages } from "./contract";
import { AUTOMATIONS, policyFor } from "../policy/automations";
import { webUrl } from "../messages/urls";
import { orderSchema, type Order } from "./payloads";
import { orderTotal, receiptFigures } from "./receipt-figures";
import { subjectKey } from "../store/keys";
import { orderRecipient } from "./order-recipient";
import { SAMPLE_ORDER } from "./samples";

const GATEWAY_NAMES: Record<string, string> = {
  shopify_payments: "Shopify Payments",
  manual: "Manual payment",
  paypal: "PayPal",
  bogus: "Bogus (test)",
  gift_card: "Gift card",
  cash_on_delivery: "Cash on delivery",
};

function paymentMethod(order: Order): string {
  const names = (order.payment_gateway_names ?? []).map((g) => GATEWAY_NAMES[g] ?? g.replace(/_/g, " "));
  return names.length ? names.join(", ") : "Other";
}

function recipientName(order: Order): string {
  const full = (a?: { first_name?: string | null; last_name?: string | null } | null) => [a?.first_name, a?.last_name].filter(Boolean).join(" ").trim();
  return full(order.customer) || order.billing_address?.name || order.shipping_address?.name || full(order.billing_address) || "Customer";
}

/** The shipping address, only when it has every field JoinChat requires (a Hong Kong address has no postal code or state). */
function address(order: Order): ReceiptMessage["address"] {
  const a = order.shipping_address;
  const street1 = a?.address1?.trim();
  const city = a?.city?.trim();
  const postalCode = a?.zip?.trim();
  const state = (a?.province_code ?? a?.province)?.trim();
  const country = a?.country_code?.trim();
  if (!street1 || !city || !postalCode || !state || !country || !/^[A-Z]{2}$/.test(country)) return undefined;
  const street2 = a?.address2?.trim();
  return { street_1: street1, ...(street2 ? { street_2: street2 } : {}), city, postal_code: postalCode, state, country };
}

/**
 * The receipt template filled from an order, every figure the order's own and adding up as
 * Messenger shows them (src/automations/receipt-figures.ts): elements are the lines' amounts
 * (unit price x quantity, as the page's example: 2 shirts at 50 + 1 at 25 = subtotal 75) and add
 * up to the subtotal; subtotal + shipping + tax − adjustments is total_cost, what the buyer was
 * charged. More than 100 lines: the first are listed and one more sums up the rest, keeping the
 * sum. Amounts are exact decimals in the currency's ISO 4217 digits; optional parts that cannot
 * be used (an image URL that does not parse) are left out.
 */
export function buildReceipt(order: Order): ReceiptMessage {
  const { currency, summary, adjustments, elements } = receiptFigures(order);
  const created = Date.parse(order.processed_at ?? order.created_at ?? "");
  const orderUrl = webUrl(order.order_status_url);
  const shipTo = address(order);
  return receiptMessage({
    recipient_name: recipientName(order),
    order_number: order.name || `#${order.id}`,
    currency,
    payment_method: paymentMethod(order),
    ...(orderUrl ? { order_url: orderUrl } : {}),
    ...(Number.isNaN(created) ? {} : { timestamp: String(Math.floor(created / 1000)) }),
    ...(shipTo ? { address: shipTo } : {}),
    summary,
    ...(adjustments.length ? { adjustments } : {}),
    ...(elements.length ? { elements } : {}),
  });
}

/** Shopify's financial statuses of an order whose payment was taken (a refund later does not undo that it was paid). */
const PAID_STATUSES: readonly (string | null | undefined)[] = ["paid", "partially_refunded", "refunded"];

/** The order as Results record it: its total, and whether it is paid yet (orders/paid says so whatever the status it carries). */
function recoveredOrder(topic: string, order: Order): RecoveredOrder {
  return { ...orderTotal(order), paid: topic === "orders/paid" || PAID_STATUSES.includes(order.financial_status) };
}

/**
 * orders/create or orders/paid (the shop's choice): the order's receipt, untagged inside the
 * window, once per order whatever topics arrive; and on either, the checkout's recalls closed.
 * The order's payment reminder answers the same topics from its own handler
 * (src/automations/payment-reminder.ts); the topic table merges the two outcomes.
 */
export const orderReceipt: EventHandler<Order> = async (e) => {
  const { ctx, event, payload: order, shop } = e;
  const close = [
    ...(order.checkout_token
      ? [
          {
            subjectKey: subjectKey.checkout(order.checkout_token),
            code: "order_placed" as const,
            reason: `checkout completed: order ${order.name ?? order.id} placed`,
            recovery: recoveredOrder(event.topic, order),
          },
        ]
      : []),
    ...(order.cart_token ? [{ subjectKey: subjectKey.cart(order.cart_token), code: "order_placed" as const, reason: `cart ordered: order ${order.name ?? order.id} placed` }] : []),
    ...(order.checkout_id
      ? [{ subjectKey: subjectKey.checkoutId(order.checkout_id), code: "order_placed" as const, reason: `checkout completed: order ${order.name ?? order.id} placed` }]
      : []),
  ];
  const s = shop!;
  const customerId = order.customer?.id ?? null;
  // For the "window" attribution rule: the customer, and the recipient when the receipt resolves one.
  const attributed = (recipient: Recipient | null) => ({ ...recoveredOrder(event.topic, order), customerId, recipient });
  if (!s.settings.automations.receipt) return { ...skipped("receipt automation is off"), close, order: attributed(null) };
  if (event.topic !== s.settings.receiptTopic) return { ...processed(`receipts are sent on ${s.settings.receiptTopic}`), close, order: attributed(null) };
  const to = await orderRecipient(e);
  if (!to.recipient) return { ...unsent("receipt", subjectKey.order(order.id), "no_recipient", `no recipient: ${to.reason}`), close, order: attributed(null) };
  const policy = policyFor("receipt", s.settings);
  return {
    state: "processed",
    close,
    order: attributed(to.recipient),
    deliveries: [
      {
        key: AUTOMATIONS.receipt.key(s.domain, order.id),
        automation: "receipt",
        recipient: to.recipient,
        customerId: order.customer?.id ?? null,
        message: buildReceipt(order),
        tag: policy.tag,
        promotional: policy.promotional,
        windowOpenedAt: to.windowOpenedAt,
        subjectKey: subjectKey.order(order.id),
        runAt: ctx.clock.now(),
      },
    ],
  };
};

/** receipt: its topics, read through orderSchema. */
const previewReceipt = (): SampleMessages => ({ message: buildReceipt(SAMPLE_ORDER), alternatives: [] });

export const orderReceiptRegistration = on("receipt", ["orders/create", "orders/paid"], orderSchema, orderReceipt, previewReceipt);
