import { LIMITS } from "../messages/limits";
import { receiptMessage } from "../messages/builders";
import type { ReceiptElement, ReceiptMessage } from "../messages/schema";
import type { EventHandler } from "../events/handlers";
import { processed, skipped } from "../events/outcome";
import { policyFor } from "../policy/tags";
import { resolveRecipient } from "../recipients/resolver";
import { currencyDecimals, fromMinor, money, toMinor } from "./money";
import { orderSchema, readPayload, type Order } from "./payloads";

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

function address(order: Order): ReceiptMessage["address"] {
  const a = order.shipping_address;
  if (!a?.address1 || !a.city || !a.country_code || !/^[A-Z]{2}$/.test(a.country_code)) return undefined;
  return {
    street_1: a.address1,
    ...(a.address2 ? { street_2: a.address2 } : {}),
    city: a.city,
    postal_code: a.zip ?? "",
    state: a.province_code ?? a.province ?? "",
    country: a.country_code,
  };
}

/**
 * The receipt template filled from an order, every figure the order's own: subtotal is the line
 * items' total, adjustments are its discounts, and total_cost is `total_price` to the cent. More
 * than 100 line items: the first 99 are listed and the 100th sums up the rest.
 */
export function buildReceipt(order: Order): ReceiptMessage {
  const currency = order.currency;
  const d = currencyDecimals(currency);
  const amount = (v: string | number | null | undefined) => fromMinor(toMinor(v, d), d);
  const lines: ReceiptElement[] = order.line_items.map((li) => ({
    title: li.title || "Item",
    ...(li.variant_title ? { subtitle: li.variant_title } : {}),
    quantity: li.quantity ?? 1,
    price: amount(li.price),
    currency,
    ...((li.image?.src ?? li.image_url) ? { image_url: (li.image?.src ?? li.image_url)! } : {}),
  }));
  let elements = lines;
  if (lines.length > LIMITS.receiptElements) {
    const shown = lines.slice(0, LIMITS.receiptElements - 1);
    const rest = order.line_items.slice(LIMITS.receiptElements - 1);
    const restTotal = rest.reduce((sum, li) => sum + toMinor(li.price, d) * BigInt(li.quantity ?? 1), 0n);
    const restQuantity = rest.reduce((n, li) => n + (li.quantity ?? 1), 0);
    shown.push({ title: `+ ${rest.length} more items`, subtitle: `${restQuantity} pieces in all`, quantity: 1, price: fromMinor(restTotal, d), currency });
    elements = shown;
  }
  const discounts = toMinor(order.total_discounts, d);
  const codes = (order.discount_codes ?? []).map((c) => ({ name: c.code, amount: toMinor(c.amount, d) }));
  const byCodes = codes.reduce((s, c) => s + c.amount, 0n);
  const adjustments = [...codes.filter((c) => c.amount > 0n), ...(discounts > byCodes ? [{ name: "Discounts", amount: discounts - byCodes }] : [])];
  const created = Date.parse(order.processed_at ?? order.created_at ?? "");
  return receiptMessage({
    recipient_name: recipientName(order),
    order_number: order.name || `#${order.id}`,
    currency,
    payment_method: paymentMethod(order),
    ...(order.order_status_url ? { order_url: order.order_status_url } : {}),
    ...(Number.isNaN(created) ? {} : { timestamp: String(Math.floor(created / 1000)) }),
    ...(address(order) ? { address: address(order) } : {}),
    summary: {
      subtotal: amount(order.total_line_items_price ?? order.subtotal_price),
      shipping_cost: amount(order.total_shipping_price_set?.shop_money?.amount),
      total_tax: amount(order.total_tax),
      total_cost: amount(order.total_price),
    },
    ...(adjustments.length ? { adjustments: adjustments.map((a) => ({ name: a.name, amount: fromMinor(a.amount, d) })) } : {}),
    ...(elements.length ? { elements } : {}),
  });
}

/**
 * orders/create or orders/paid (the shop's choice): the order's receipt, tagged PAYMENT_UPDATE,
 * once per order whatever topics arrive. orders/create also ends the checkout's recalls.
 */
export const orderReceipt: EventHandler = async ({ ctx, event, payload, shop }) => {
  const read = readPayload(orderSchema, payload);
  if (!read.ok) return skipped(read.reason);
  const order = read.value;
  const close = [
    ...(order.checkout_token
      ? [
          {
            subjectKey: `checkout:${order.checkout_token}`,
            reason: `checkout completed: order ${order.name ?? order.id} placed`,
            recovery: { orderId: order.id, orderName: order.name ?? null, total: money(order.total_price, order.currency), currency: order.currency },
          },
        ]
      : []),
    ...(order.cart_token ? [{ subjectKey: `cart:${order.cart_token}`, reason: `cart ordered: order ${order.name ?? order.id} placed` }] : []),
    ...(order.checkout_id ? [{ subjectKey: `checkout-id:${order.checkout_id}`, reason: `checkout completed: order ${order.name ?? order.id} placed` }] : []),
  ];
  const s = shop!;
  if (!s.settings.automations.receipt) return { ...skipped("receipt automation is off"), close };
  if (event.topic !== s.settings.receiptTopic) return { ...processed(`receipts are sent on ${s.settings.receiptTopic}`), close };
  const to = await resolveRecipient(ctx, s, {
    customerId: order.customer?.id ?? null,
    email: order.customer?.email || order.email || null,
    phone: order.customer?.phone || order.phone || null,
    noteAttributes: order.note_attributes ?? null,
  });
  if (!to.recipient) return { ...skipped(`no recipient: ${to.reason}`), close };
  const policy = policyFor("receipt", s.settings);
  return {
    state: "processed",
    close,
    deliveries: [
      {
        key: `receipt:${s.domain}:${order.id}`,
        automation: "receipt",
        recipient: to.recipient,
        customerId: order.customer?.id ?? null,
        message: buildReceipt(order),
        tag: policy.tag,
        promotional: policy.promotional,
        windowOpenedAt: to.windowOpenedAt,
        subjectKey: `order:${order.id}`,
        runAt: ctx.clock.now(),
      },
    ],
  };
};
