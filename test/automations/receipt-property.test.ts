import fc from "fast-check";
import { isLosslessNumber, parse } from "lossless-json";
import { orderSchema, readPayload } from "../../src/automations/payloads";
import { buildReceipt } from "../../src/automations/receipt";
import type { Message } from "../../src/messages/schema";
import { wireBody } from "../../src/messages/wire";
import { parseShopifyJson } from "../../src/shopify/json";
import { checkBody } from "../../src/standin/rules";

/**
 * Receipts add up for any order: generated orders of both tax regimes, with line items, tips,
 * duties, item and shipping discounts (codes, automatic, manual), gift cards, free orders and the
 * buyer's currency (2, 0 and 3 decimals), each internally consistent the way Shopify writes them.
 * Each goes the app's way (webhook text -> payload schema -> receipt -> stored as JSON -> the
 * worker's wireBody), and the identity is checked on the bytes JoinChat would get, in minor
 * units, with this file's own arithmetic.
 */

/** ISO 4217 digits of the currencies generated here (test-side, not the app's table). */
const DIGITS: Record<string, number> = { USD: 2, EUR: 2, GBP: 2, UAH: 2, JPY: 0, KWD: 3 };
const decimal = (minor: bigint, d: number) => {
  const digits = minor.toString().padStart(d + 1, "0");
  return d ? `${digits.slice(0, -d)}.${digits.slice(-d)}` : digits;
};
/** A JSON number token as written on the wire, in minor units; more decimals than the currency has fails. */
const tokenMinor = (token: unknown, d: number): bigint => {
  if (!isLosslessNumber(token)) throw new Error(`not a JSON number: ${String(token)}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(token.value);
  if (!m || (m[3] ?? "").length > d) throw new Error(`not an amount with at most ${d} decimals: ${token.value}`);
  const minor = BigInt(m[2]! + (m[3] ?? "").padEnd(d, "0"));
  return m[1] ? -minor : minor;
};

/** One amount in both currencies, as minor units of each. */
interface Amount {
  shop: bigint;
  buyer: bigint;
}
const zero: Amount = { shop: 0n, buyer: 0n };
const plus = (a: Amount, b: Amount): Amount => ({ shop: a.shop + b.shop, buyer: a.buyer + b.buyer });
const minus = (a: Amount, b: Amount): Amount => ({ shop: a.shop - b.shop, buyer: a.buyer - b.buyer });
const times = (a: Amount, n: number): Amount => ({ shop: a.shop * BigInt(n), buyer: a.buyer * BigInt(n) });
const total = (xs: Amount[]) => xs.reduce(plus, zero);

const amountArb = (max: number, same: boolean): fc.Arbitrary<Amount> =>
  same ? fc.bigInt(0n, BigInt(max)).map((v) => ({ shop: v, buyer: v })) : fc.record({ shop: fc.bigInt(0n, BigInt(max)), buyer: fc.bigInt(0n, BigInt(max)) });
/** A share of `a` (0 to all of it), in each currency. */
const shareArb = (a: Amount, all: boolean): fc.Arbitrary<Amount> => (all ? fc.constant(a) : fc.record({ shop: fc.bigInt(0n, a.shop), buyer: fc.bigInt(0n, a.buyer) }));

const DISCOUNT_KINDS = [
  { type: "discount_code", code: "SAVE10" },
  { type: "automatic", title: "Spring sale" },
  { type: "manual", title: "Staff", description: "Staff discount" },
  { type: "discount_code", code: "FREESHIP" },
  { type: "automatic", title: "Free shipping over 50" },
] as const;

interface Generated {
  text: string;
  currency: string;
  charged: bigint;
  taxIncluded: boolean;
  tax: bigint;
  tip: bigint;
  duties: bigint;
  names: string[];
}

const orderArb: fc.Arbitrary<Generated> = fc
  .record({
    shop: fc.constantFrom("USD", "EUR", "JPY", "KWD"),
    buyer: fc.constantFrom("same", "USD", "GBP", "JPY", "KWD", "UAH"),
    taxIncluded: fc.boolean(),
    free: fc.boolean(),
    giftCard: fc.boolean(),
    manyLines: fc.integer({ min: 0, max: 9 }),
  })
  .chain((o) => {
    const buyer = o.buyer === "same" || o.buyer === o.shop ? o.shop : o.buyer;
    const same = buyer === o.shop;
    const lineCount = o.manyLines === 0 ? fc.integer({ min: 99, max: 104 }) : fc.integer({ min: 1, max: 6 });
    return fc.record({
      o: fc.constant({ ...o, buyer, same }),
      lines: lineCount.chain((n) => fc.array(fc.record({ price: amountArb(90_000, same), quantity: fc.integer({ min: 1, max: 3 }) }), { minLength: n, maxLength: n })),
      shippingLines: fc.array(amountArb(3_000, same), { maxLength: 2 }),
      tax: amountArb(20_000, same),
      // A tip is in both currencies or in neither.
      tip: o.free
        ? fc.constant(zero)
        : fc.oneof(
            fc.constant(zero),
            amountArb(2_000, same).map((t) => (t.shop && t.buyer ? t : zero)),
          ),
      duties: o.free ? fc.constant(zero) : fc.oneof(fc.constant(zero), amountArb(5_000, same)),
      lineDiscount: fc.option(fc.constantFrom(0, 1, 2), { nil: null }),
      shippingDiscount: fc.option(fc.constantFrom(3, 4), { nil: null }),
      seed: fc.integer(),
    });
  })
  .chain((g) =>
    fc
      .record({
        lineShares: fc.tuple(...g.lines.map((l) => shareArb(times(l.price, l.quantity), g.o.free))),
        shippingShares: fc.tuple(...g.shippingLines.map((s) => shareArb(s, g.o.free))),
      })
      .map((shares) => ({ ...g, ...shares })),
  )
  .map((g) => {
    const { o } = g;
    const applications = [
      ...(g.lineDiscount !== null || o.free ? [{ ...DISCOUNT_KINDS[g.lineDiscount ?? 0], target_type: "line_item" }] : []),
      ...(g.shippingDiscount !== null || (o.free && g.shippingLines.length) ? [{ ...DISCOUNT_KINDS[g.shippingDiscount ?? 3], target_type: "shipping_line" }] : []),
    ];
    const lineApp = applications.findIndex((a) => a.target_type === "line_item");
    const shipApp = applications.findIndex((a) => a.target_type === "shipping_line");
    const lineOff = g.lineShares.map((s) => (lineApp >= 0 ? s : zero));
    const shipOff = g.shippingShares.map((s) => (shipApp >= 0 ? s : zero));
    const tax = o.free ? zero : o.taxIncluded ? { shop: g.tax.shop / 5n, buyer: g.tax.buyer / 5n } : g.tax;
    const items = total(g.lines.map((l) => times(l.price, l.quantity)));
    const shipping = total(g.shippingLines);
    const discounts = total([...lineOff, ...shipOff]);
    // Shopify's total: items + shipping + duties + tip (+ tax when not inside the prices) − discounts.
    const charged = minus(total([items, shipping, g.duties, g.tip, o.taxIncluded ? zero : tax]), discounts);
    const ds = DIGITS[o.shop]!;
    const db = DIGITS[o.buyer]!;
    const set = (a: Amount) => ({
      shop_money: { amount: decimal(a.shop, ds), currency_code: o.shop },
      presentment_money: { amount: decimal(a.buyer, db), currency_code: o.buyer },
    });
    const allocation = (a: Amount, index: number) => ({ amount: decimal(a.shop, ds), amount_set: set(a), discount_application_index: index });
    const codes = applications
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => a.type === "discount_code")
      .map(({ a, i }) => ({ code: (a as { code: string }).code, amount: decimal(total(i === lineApp ? lineOff : shipOff).shop, ds), type: "fixed_amount" }));
    const order = {
      id: 5_000_000_000_000 + (g.seed >>> 0),
      name: `#${1000 + (g.seed >>> 20)}`,
      currency: o.shop,
      presentment_currency: o.buyer,
      taxes_included: o.taxIncluded,
      total_price: decimal(charged.shop, ds),
      total_price_set: set(charged),
      current_total_price: decimal(charged.shop, ds),
      total_line_items_price: decimal(items.shop, ds),
      total_line_items_price_set: set(items),
      subtotal_price: decimal(items.shop - total(lineOff).shop, ds),
      total_tax: decimal(tax.shop, ds),
      total_tax_set: set(tax),
      tax_lines: tax.shop || tax.buyer ? [{ title: "VAT", rate: 0.2, price: decimal(tax.shop, ds), price_set: set(tax) }] : [],
      total_discounts: decimal(discounts.shop, ds),
      total_discounts_set: set(discounts),
      total_shipping_price_set: set(shipping),
      total_tip_received: decimal(g.tip.shop, ds),
      original_total_duties_set: g.duties.shop || g.duties.buyer ? set(g.duties) : null,
      current_total_duties_set: g.duties.shop || g.duties.buyer ? set(g.duties) : null,
      payment_gateway_names: o.giftCard ? ["gift_card", "shopify_payments"] : ["shopify_payments"],
      financial_status: "paid",
      discount_applications: applications,
      discount_codes: codes,
      line_items: g.lines.map((l, i) => ({
        id: 9000 + i,
        title: `Item ${i}`,
        gift_card: o.giftCard && i === 0,
        quantity: l.quantity,
        price: decimal(l.price.shop, ds),
        price_set: set(l.price),
        discount_allocations: lineApp >= 0 ? [allocation(lineOff[i]!, lineApp)] : [],
      })),
      shipping_lines: g.shippingLines.map((s, i) => ({
        id: 7000 + i,
        title: i ? "Express" : "Standard",
        code: i ? "Express" : "Standard",
        price: decimal(s.shop, ds),
        price_set: set(s),
        discount_allocations: shipApp >= 0 ? [allocation(shipOff[i]!, shipApp)] : [],
      })),
      customer: { id: 42, first_name: "Ada", last_name: "Lovelace" },
      created_at: "2026-03-01T10:00:00Z",
    };
    const amounts = o.same ? "shop" : "buyer";
    return {
      text: JSON.stringify(order),
      currency: o.buyer,
      charged: charged[amounts],
      taxIncluded: o.taxIncluded,
      tax: tax[amounts],
      tip: g.tip[amounts],
      duties: g.duties[amounts],
      names: applications.map((a) => ("code" in a ? a.code : a.title)),
    };
  });

interface WireReceipt {
  currency: string;
  summary: Record<string, unknown>;
  adjustments?: { name: string; amount: unknown }[];
  elements?: { title: string; price: unknown }[];
}

/** The bytes the worker would send for this webhook body: the app's own path end to end. */
function sentBytes(webhookText: string): string {
  const read = readPayload(orderSchema, parseShopifyJson(webhookText));
  if (!read.ok) throw new Error(read.reason);
  const stored = JSON.stringify(buildReceipt(read.value)); // as the delivery row keeps it
  return wireBody({ page_id: "1029384756", recipient: { uuid: "u" }, message: JSON.parse(stored) as Message, tag: "POST_PURCHASE_UPDATE" }).text;
}

describe("receipt arithmetic on the bytes sent (property)", () => {
  it("subtotal + shipping + tax − adjustments = total_cost = the amount charged, and the elements add up to the subtotal, for any order", () => {
    fc.assert(
      fc.property(orderArb, (g) => {
        const bytes = sentBytes(g.text);
        expect(checkBody(bytes)).toEqual([]); // the stand-in, written from JoinChat's page, takes it
        const r = (parse(bytes) as { message: WireReceipt }).message;
        const d = DIGITS[g.currency]!;
        expect(r.currency).toBe(g.currency);
        const s = r.summary;
        const at = (v: unknown) => (v === undefined ? 0n : tokenMinor(v, d));
        const adjustments = (r.adjustments ?? []).map((a) => ({ name: a.name, amount: tokenMinor(a.amount, d) }));
        const elements = (r.elements ?? []).map((e) => ({ title: e.title, price: tokenMinor(e.price, d) }));
        const adjusted = adjustments.reduce((n, a) => n + a.amount, 0n);
        expect(at(s.total_cost)).toBe(g.charged);
        expect(at(s.subtotal) + at(s.shipping_cost) + at(s.total_tax) - adjusted).toBe(at(s.total_cost));
        expect(elements.reduce((n, e) => n + e.price, 0n)).toBe(at(s.subtotal));
        expect(elements.length).toBeLessThanOrEqual(100);
        // Tax: added when outside the prices, said to be inside them otherwise.
        if (g.taxIncluded) {
          expect(s.total_tax).toBeUndefined();
          const note = adjustments.filter((a) => a.name.startsWith("incl. "));
          expect(note).toEqual(g.tax ? [{ name: `incl. VAT ${decimal(g.tax, d)}`, amount: 0n }] : []);
        } else expect(at(s.total_tax)).toBe(g.tax);
        // Every line named: tips and duties as their own elements, discounts by their application.
        expect(elements.filter((e) => e.title === "Tip").map((e) => e.price)).toEqual(g.tip ? [g.tip] : []);
        expect(elements.filter((e) => e.title === "Duties").map((e) => e.price)).toEqual(g.duties ? [g.duties] : []);
        expect(elements.some((e) => e.title === "Other charges")).toBe(false);
        for (const a of adjustments.filter((a) => !a.name.startsWith("incl. "))) expect(g.names).toContain(a.name);
      }),
      { numRuns: 300, seed: 20260326 },
    );
  });
});
