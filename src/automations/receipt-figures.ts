/**
 * The figures of an order's receipt, in integer minor units of the buyer's currency, arranged so
 * that what Messenger shows adds up:
 *
 *   subtotal + shipping_cost + total_tax − Σ adjustments = total_cost = what the buyer was charged
 *   Σ element prices = subtotal
 *
 * whether the shop's prices include tax or not, with tips, duties, shipping discounts, gift cards
 * and free orders, every line named.
 */
import { LIMITS } from "../messages/limits";
import type { ReceiptAdjustment, ReceiptElement, ReceiptSummary } from "../messages/schema";
import { currencyDecimals, fromMinor, money, toMinor } from "../money";
import { lineItemImage, type MoneySet, type Order } from "./payloads";

/** Which of the order's amounts a receipt shows: the shop's, or the buyer's (presentment). */
export interface OrderMoney {
  currency: string;
  /** The amount of a `*_set`, in this currency; `plain` is the shop-currency field beside it. */
  of(set: MoneySet, plain: string | number | null | undefined): string | number | null | undefined;
  presentment: boolean;
}

/**
 * The buyer's currency when they paid in another than the shop's and the order gives every
 * amount in it (`*_set.presentment_money`): an AUD shop's order paid in USD reads USD 45.85, not
 * AUD 60.33. Otherwise the shop's own figures.
 */
export function moneyOf(order: Order): OrderMoney {
  const buyer = order.presentment_currency;
  const complete =
    buyer &&
    buyer !== order.currency &&
    /^[A-Z]{3}$/.test(buyer) &&
    order.total_price_set?.presentment_money?.amount != null &&
    order.line_items.every((li) => li.price_set?.presentment_money?.amount != null) &&
    (order.shipping_lines ?? []).every((s) => s.price_set?.presentment_money?.amount != null);
  if (complete) return { currency: buyer, presentment: true, of: (set) => set?.presentment_money?.amount ?? null };
  return { currency: order.currency, presentment: false, of: (set, plain) => plain ?? set?.shop_money?.amount };
}

/** An order's total as the buyer paid it: what a recall recovered, what a payment reminder asks for. */
export function orderTotal(order: Order): { orderId: string; orderName: string | null; total: string; currency: string } {
  const m = moneyOf(order);
  return { orderId: order.id, orderName: order.name ?? null, total: money(m.of(order.total_price_set, order.total_price), m.currency), currency: m.currency };
}

interface Row {
  minor: bigint;
  element: Omit<ReceiptElement, "price">;
}

export interface ReceiptFigures {
  currency: string;
  summary: ReceiptSummary;
  adjustments: ReceiptAdjustment[];
  elements: ReceiptElement[];
}

const sum = (xs: bigint[]) => xs.reduce((s, x) => s + x, 0n);

/**
 * The order's discounts, one adjustment per discount application (a code, an automatic discount's
 * title, a manual one's description), each what it took off the line items and the shipping lines
 * in the receipt's currency (`discount_allocations`). A payload without allocations (older API
 * versions) is read from `discount_codes`, in the shop's currency only.
 */
function discountsOf(order: Order, money: OrderMoney, d: number): { named: { name: string; amount: bigint }[]; unallocated: string[] } {
  const applications = order.discount_applications ?? [];
  const nameOf = (i: number) => {
    const a = applications[i];
    return a?.code?.trim() || a?.title?.trim() || a?.description?.trim() || (a?.target_type === "shipping_line" ? "Shipping discount" : "Discount");
  };
  const allocations = [...order.line_items.flatMap((li) => li.discount_allocations ?? []), ...(order.shipping_lines ?? []).flatMap((s) => s.discount_allocations ?? [])];
  const byApplication = new Map<number, bigint>();
  for (const a of allocations) {
    const i = a.discount_application_index ?? -1;
    byApplication.set(i, (byApplication.get(i) ?? 0n) + toMinor(money.of(a.amount_set, a.amount), d));
  }
  let named = [...byApplication].map(([i, amount]) => ({ name: nameOf(i), amount }));
  if (!allocations.length && !money.presentment) named = (order.discount_codes ?? []).map((c) => ({ name: c.code?.trim() || "Discount", amount: toMinor(c.amount, d) }));
  // Same-named applications (two automatic discounts titled alike) read as one line.
  const merged = new Map<string, bigint>();
  for (const n of named) if (n.amount !== 0n) merged.set(n.name, (merged.get(n.name) ?? 0n) + n.amount);
  const unallocated = applications.map((_, i) => i).filter((i) => !byApplication.has(i) && !merged.has(nameOf(i)));
  return { named: [...merged].map(([name, amount]) => ({ name, amount })), unallocated: [...new Set(unallocated.map(nameOf))] };
}

/** "incl. VAT 16.83": the tax lines' own titles (VAT, GST, PDV, MwSt), or "tax". */
function includedTaxName(order: Order, money: OrderMoney, d: number, tax: bigint): string {
  const titles = [...new Set((order.tax_lines ?? []).filter((t) => toMinor(money.of(t.price_set, t.price), d) !== 0n).map((t) => t.title?.trim()))];
  const label = titles.length && titles.every(Boolean) ? titles.join(" + ") : "tax";
  return `incl. ${label} ${fromMinor(tax, d)}`;
}

/**
 * The receipt's summary, adjustments and elements.
 *
 * What the buyer was charged is `total_price` (`total_price_set` in the buyer's currency): the
 * order's total when it was placed, which is what the line items' prices, the shipping lines, the
 * original duties and the discount allocations add up to. `current_total_price` follows later
 * edits and refunds, which the other amounts of the payload do not, and a receipt is the record of
 * the purchase. A gift card is a way of paying, not a discount: it leaves `total_price` as it is
 * (the payment method names it), so the total is never reduced by it.
 *
 * Arrangement:
 * - Elements are the line items (price x quantity), then Duties and Tip as elements of their own,
 *   so each is a named line and the elements still add up to the subtotal. Messenger's summary
 *   has no line for either, and an adjustment is read as something taken off.
 * - Prices with tax inside (`taxes_included`): the tax is not added again. `total_tax` is left
 *   out (a "Tax 0.00" line would be untrue) and a zero adjustment says "incl. VAT 16.83", so the
 *   buyer sees the amounts as charged and the tax they hold.
 * - Discounts (on items and on shipping) are the adjustments, named after their application.
 * - Whatever the payload leaves unexplained (a tip in the buyer's currency, which Shopify gives
 *   only in the shop's; a fee; a discount without allocations) is shown under its own name,
 *   never dropped: the total is always the amount charged.
 */
export function receiptFigures(order: Order): ReceiptFigures {
  const money = moneyOf(order);
  const currency = money.currency;
  const d = currencyDecimals(currency);
  const minor = (set: MoneySet, plain: string | number | null | undefined) => toMinor(money.of(set, plain), d);

  const items: Row[] = order.line_items.map((li) => {
    const quantity = li.quantity ?? 1;
    const image = lineItemImage(li);
    return {
      minor: minor(li.price_set, li.price) * BigInt(quantity),
      element: {
        title: li.title?.trim() || "Item",
        ...(li.variant_title?.trim() ? { subtitle: li.variant_title.trim() } : {}),
        quantity,
        currency,
        ...(image ? { image_url: image } : {}),
      },
    };
  });
  const extras: Row[] = [];
  const extra = (title: string, amount: bigint) => {
    if (amount !== 0n) extras.push({ minor: amount, element: { title, quantity: 1, currency } });
  };
  extra("Duties", minor(order.original_total_duties_set, null));
  const shopTip = toMinor(order.total_tip_received, currencyDecimals(order.currency));
  if (!money.presentment) extra("Tip", shopTip);

  const shippingLines = order.shipping_lines ?? [];
  const shipping =
    order.total_shipping_price_set?.shop_money || order.total_shipping_price_set?.presentment_money
      ? minor(order.total_shipping_price_set, null)
      : sum(shippingLines.map((s) => minor(s.price_set, s.price)));
  const tax = minor(order.total_tax_set, order.total_tax);
  const included = order.taxes_included === true;
  const charged = minor(order.total_price_set, order.total_price);
  const { named, unallocated } = discountsOf(order, money, d);
  const adjustments = [...named];

  // What the parts leave over: an unnamed charge becomes an element, an unnamed reduction an adjustment.
  const explained = sum([...items, ...extras].map((r) => r.minor)) + shipping + (included ? 0n : tax) - sum(adjustments.map((a) => a.amount));
  const rest = explained - charged;
  if (rest < 0n) extra(money.presentment && shopTip > 0n ? "Tip" : "Other charges", -rest);
  if (rest > 0n) adjustments.push({ name: unallocated.length ? unallocated.join(", ") : "Discounts", amount: rest });
  if (included && tax !== 0n) adjustments.push({ name: includedTaxName(order, money, d, tax), amount: 0n });

  // At most 100 elements: the first item lines, one that sums up the rest, then the extras.
  const room = LIMITS.receiptElements - extras.length;
  let shown = items;
  if (items.length > room) {
    shown = items.slice(0, room - 1);
    const folded = items.slice(room - 1);
    const pieces = folded.reduce((n, l) => n + (l.element.quantity ?? 1), 0);
    shown.push({ minor: sum(folded.map((l) => l.minor)), element: { title: `+ ${folded.length} more items`, subtitle: `${pieces} pieces in all`, quantity: pieces, currency } });
  }
  const rows = [...shown, ...extras];
  const subtotal = sum(rows.map((r) => r.minor));
  return {
    currency,
    summary: {
      subtotal: fromMinor(subtotal, d),
      shipping_cost: fromMinor(shipping, d),
      ...(included ? {} : { total_tax: fromMinor(tax, d) }),
      total_cost: fromMinor(charged, d),
    },
    adjustments: adjustments.map((a) => ({ name: a.name, amount: fromMinor(a.amount, d) })),
    elements: rows.map((r) => ({ ...r.element, price: fromMinor(r.minor, d) })),
  };
}
