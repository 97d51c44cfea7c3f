/**
 * A template is checked when it is saved: rendered with the longest values its placeholders can
 * take, it must fit the field it lands in, so that what is sent is never cut inside a code, an
 * order or tracking number or a link; and an order's template must not read as a promotion.
 *
 * The longest values: the shop's own coupon code and name, as they are; what the app writes from
 * the settings (points, store credit: the most the settings allow) and from Shopify (order names,
 * tracking numbers, totals) at bounds no real one exceeds. What a customer or carrier typed (a
 * first name, a carrier's name) has no bound worth counting: Shopify takes 255 characters for a
 * first name. Those values are the ones renderFitted shortens first when a text is too long, so
 * they are counted at a realistic length (a 24-character first name), and a longer one is cut
 * at send time, never the code beside it.
 */
import { LIMITS } from "../messages/limits";
import { AUTOMATIONS } from "../policy/automations";
import { promotionalRefusal, promotionalWords } from "../policy/promotional-text";
import { welcomeCodeFor } from "../shopify/discounts";
import type { ShopRecord } from "../store/shops";
import { carrierPhrase, trackingPhrase } from "./shipping";
import { creditText, rewardValues } from "./signup-reward";
import { automationOfTemplate, landsIn, PHRASES_BY_PLACEHOLDER, renderText, TEMPLATE_LIMITS, type TemplateKey } from "./templates";

/**
 * The lengths counted for what the shop does not know in advance. A customer's first name and a
 * carrier's name are shortened when needed (realistic lengths); the rest are sent whole (bounds).
 */
export const COUNTED_LENGTHS = {
  /** Realistic: "Maximilian-Alexander" and nearly every first name fit. Longer ones are shortened. */
  first_name: 24,
  /** Realistic: "DHL eCommerce Solutions", "Royal Mail Tracked 48". Longer ones are shortened. */
  carrier: 30,
  /** Shopify's "#" with the order number and the shop's prefix and suffix ("#EU-1000001-B2B"). */
  order_name: 20,
  /** The longest formats carriers use (USPS and FedEx go to 34). */
  tracking_number: 40,
  /** The longest static code the settings take (letters, digits, - and _), for a shop with none set yet. */
  coupon_code: 255,
  /** An item's quantity in a cart. */
  quantity: 5,
  /** An item's price in the cart's currency, to the cent. */
  price: 12,
} as const;

/** The most the settings allow: 100,000,000 points, a 9-digit credit with 3 decimals. */
const MOST_POINTS = 100_000_000;
const LONGEST_CREDIT = { amount: "999999999.999", currency: "BHD" };
/** An order total up to a billion, with 3 decimals and its currency. */
const LONGEST_TOTAL = "9999999999.999 BHD";

/** The coupon code the shop's customers get: its static code, and the unique one it falls back from. */
function longestCoupon(shop: ShopRecord): string {
  const codes = [shop.couponCode ?? ""];
  // The format of a unique code, made with a key of no consequence: only its length counts.
  if (shop.settings.couponMode === "unique") codes.push(welcomeCodeFor("length", shop.domain, "0", shop.settings.uniqueCoupon.prefix));
  const longest = codes.reduce((a, b) => (b.length > a.length ? b : a));
  return longest || "C".repeat(COUNTED_LENGTHS.coupon_code);
}

/** The value each placeholder is counted with for `shop` (the shop's name is renderText's own). */
export function longestValues(shop: ShopRecord): Record<string, string> {
  const language = shop.settings.language;
  const carrier = "C".repeat(COUNTED_LENGTHS.carrier);
  const trackingNumber = "9".repeat(COUNTED_LENGTHS.tracking_number);
  const richest = { ...shop, settings: { ...shop.settings, signupReward: { ...shop.settings.signupReward, points: MOST_POINTS } } };
  const values: Record<string, string> = {
    first_name: "N".repeat(COUNTED_LENGTHS.first_name),
    coupon_code: longestCoupon(shop),
    // Both reward phrases, as a shop that sets points and credit later would send them.
    ...rewardValues(richest, LONGEST_CREDIT),
    store_credit: creditText(LONGEST_CREDIT),
    order_name: `#${"9".repeat(COUNTED_LENGTHS.order_name - 1)}`,
    carrier,
    carrier_phrase: carrierPhrase(language, carrier),
    tracking_number: trackingNumber,
    tracking_phrase: trackingPhrase(language, trackingNumber),
    total: LONGEST_TOTAL,
    quantity: "9".repeat(COUNTED_LENGTHS.quantity),
    price: "9".repeat(COUNTED_LENGTHS.price - 3) + ".99",
    currency: "USD",
    // The items a recall's last card sums up: a cart holds at most a few hundred lines.
    count: "9999",
  };
  // A phrase that fills a placeholder of its own is counted as sent: with the longest values.
  for (const [placeholder, key] of PHRASES_BY_PLACEHOLDER) values[placeholder] = ` ${renderText(shop, key, values, Infinity)}`;
  return values;
}

/** How long `key`'s template (the shop's, else the default) is with the longest values. */
export function checkedLength(shop: ShopRecord, key: TemplateKey, values: Record<string, string> = longestValues(shop)): number {
  return renderText(shop, key, values, Infinity).length;
}

const FIELD_NAMES: Record<number, string> = {
  [LIMITS.textChars]: "a message's text",
  [LIMITS.buttonTitleChars]: "a button's title",
  [LIMITS.elementTitleChars]: "a title or subtitle",
};

/** Why `key`'s template cannot be saved for `shop`: too long with the longest values; null when it fits. */
export function lengthProblem(shop: ShopRecord, key: TemplateKey, values?: Record<string, string>): string | null {
  const length = checkedLength(shop, key, values);
  const limit = TEMPLATE_LIMITS[key];
  if (length <= limit) return null;
  return `${length} characters with the longest names, codes and numbers it can carry: at most ${limit}, JoinChat's limit for ${FIELD_NAMES[limit] ?? "this field"}`;
}

/** Whether `key` belongs to an automation whose templates speak only of an order. */
export const mustNotPromote = (key: TemplateKey) => AUTOMATIONS[automationOfTemplate(key)].orderTemplates;

/** Why an order's template may not say `text`: it reads as a promotion; null otherwise. */
export function promotionProblem(key: TemplateKey, text: string): string | null {
  if (!mustNotPromote(key)) return null;
  const words = promotionalWords(text);
  return words.length ? promotionalRefusal(words) : null;
}

/** Why `key`'s template (the shop's, else the default) cannot be saved for `shop`; null when it can. */
export function templateProblem(shop: ShopRecord, key: TemplateKey, values?: Record<string, string>): string | null {
  const text = shop.settings.templates[key];
  return (text !== undefined ? promotionProblem(key, text) : null) ?? lengthProblem(shop, key, values);
}

/** The templates a change to `changed` must check again: the changed ones, and the text a changed phrase lands in (the welcome text, a reward phrase). */
export function templatesToCheck(changed: readonly TemplateKey[]): TemplateKey[] {
  const keys = new Set(changed);
  for (const key of changed) for (const text of landsIn(key)) keys.add(text);
  return [...keys];
}

/**
 * The first of the shop's own templates that fitted with `before`'s settings and does not with
 * `after`'s (a longer coupon code or prefix, a language whose phrases are longer); null for none.
 * One that did not fit before (saved by an earlier version) does not block other settings.
 */
export function outgrownTemplate(before: ShopRecord, after: ShopRecord): { key: TemplateKey; problem: string } | null {
  const was = longestValues(before);
  const now = longestValues(after);
  for (const key of Object.keys(after.settings.templates) as TemplateKey[]) {
    if (!Object.hasOwn(TEMPLATE_LIMITS, key)) continue;
    const problem = lengthProblem(after, key, now);
    if (problem && !lengthProblem(before, key, was)) return { key, problem };
  }
  return null;
}
