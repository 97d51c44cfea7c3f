import { buttonMessage, genericElement, genericMessage, urlButton } from "../messages/builders";
import { LIMITS } from "../messages/limits";
import type { Message } from "../messages/schema";
import { on, processed, skipped, unsent, type EventHandler, type SampleMessages } from "./contract";
import type { PlannedDelivery } from "../store/delivery-plan";
import { AUTOMATIONS, policyFor } from "../policy/automations";
import type { ReasonCode } from "../policy/reasons";
import { resolveRecipient } from "../recipients/resolver";
import type { ShopRecord } from "../store/shops";
import { currencyDecimals, fromMinor, money, toMinor } from "../money";
import { checkoutSchema, isStorableTime, lineItemImage, type Checkout } from "./payloads";
import { renderText, type TemplateKey } from "./templates";
import { webUrl } from "../messages/urls";
import { subjectKey } from "../store/keys";
import { botButtonsOf } from "./bot-buttons";
import { sampleItem } from "./samples";

const MINUTE_MS = 60_000;

/**
 * Recall `step` (1 the first): a carousel of the cart's items, or a button message for one item,
 * each with a button back to the checkout (and the shop's bot button, when set: 2 of the 3 each
 * may carry).
 *
 * Each step has its own text and carousel greeting (the third's serve any later step too), and may
 * carry the shop's coupon for it: the text says it ({{coupon_phrase}}, {{coupon_code}}) and the
 * checkout button applies it (discountLink).
 *
 * JoinChat sends one message per call and a generic template has no text of its own, so the
 * carousel's greeting rides on the first card: its subtitle (80 characters) reads the greeting,
 * then the item's line ("Alan, you left these in your cart at Demo Store.\n1 × 49.00 USD"). A
 * card of its own for the greeting would cost an item its place, and a second message would be
 * a second delivery to schedule, cancel and count. With a coupon the greeting says the discount
 * is applied (a code may not fit those 80 characters; the button applies it all the same).
 */
export function buildRecall(shop: ShopRecord, checkout: Checkout, checkoutUrl: string, step = 1): Message {
  const firstName = checkout.customer?.first_name ?? undefined;
  const buttonTitle = renderText(shop, "abandoned.button", {});
  const currency = checkout.presentment_currency || checkout.currency || "USD";
  const items = checkout.line_items.filter((li) => li.title);
  const code = couponOfStep(shop, step);
  const url = code ? discountLink(shop.domain, checkoutUrl, code) : checkoutUrl;
  const text = renderText(shop, ofStep(STEP_TEXTS, step), { first_name: firstName, coupon_code: code ?? "", coupon_phrase: code ? couponPhrase(shop, code) : "" });
  const bot = botButtonsOf(shop, "abandoned");
  if (items.length <= 1) return buttonMessage(text, [urlButton(buttonTitle, url), ...bot]);
  const card = (e: { title: string; subtitle: string; image_url?: string }) =>
    genericElement({ ...e, default_action: { type: "web_url", url }, buttons: [urlButton(buttonTitle, url), ...bot] });
  // At most 10 cards: past that, the first 9 items and one card that names the rest with their total.
  const max = LIMITS.genericElements.max;
  const shown = items.length > max ? items.slice(0, max - 1) : items;
  const folded = items.slice(shown.length);
  const greeting = code ? "abandoned.coupon_greeting" : ofStep(STEP_GREETINGS, step);
  const cards = shown.map((li, i) => {
    const line = renderText(shop, "abandoned.item_subtitle", { quantity: String(li.quantity ?? 1), price: money(li.price, currency), currency });
    const image = lineItemImage(li);
    return card({
      title: li.variant_title ? `${li.title} (${li.variant_title})` : li.title!,
      subtitle: i === 0 ? withGreeting(shop, greeting, firstName, line) : line,
      ...(image ? { image_url: image } : {}),
    });
  });
  if (folded.length) cards.push(card(foldedItems(shop, folded, currency)));
  return genericMessage(cards);
}

/** The texts and carousel greetings of the steps: the first's, the second's, and the last's, which every later step uses too. */
const STEP_TEXTS = ["abandoned.text", "abandoned.text_2", "abandoned.text_3"] as const;
const STEP_GREETINGS = ["abandoned.greeting", "abandoned.greeting_2", "abandoned.greeting_3"] as const;
const ofStep = <K>(keys: readonly K[], step: number): K => keys[Math.min(Math.max(step, 1), keys.length) - 1]!;

/** Recall `step`'s coupon as the shop set it; null for none. */
export const couponOfStep = (shop: ShopRecord, step: number): string | null => shop.settings.recallSteps.coupons[step - 1] || null;

/** The {{coupon_phrase}} of a step's text: the shop's phrase with the code, set off from the sentence before it (no space in Chinese). */
function couponPhrase(shop: ShopRecord, code: string): string {
  const phrase = renderText(shop, "abandoned.coupon_phrase", { coupon_code: code });
  return shop.settings.language === "zh" ? phrase : ` ${phrase}`;
}

/**
 * The checkout's link with `code` applied: Shopify's shareable discount link on the shop's domain
 * (the welcome message's too), https://<shop>/discount/<CODE>?redirect=<path>, which puts the code
 * on the buyer's cart and checkout, then opens the path given on the shop: the checkout's, with its
 * key. The path alone, since the redirect stays on the shop; Shopify's checkout URLs
 * (/<shop id>/checkouts/<token>/recover?key=...) are served on the shop's own domain.
 */
export function discountLink(shopDomain: string, checkoutUrl: string, code: string): string {
  const u = new URL(checkoutUrl);
  return `https://${shopDomain}/discount/${encodeURIComponent(code)}?redirect=${encodeURIComponent(`${u.pathname}${u.search}`)}`;
}

/** The first card's subtitle: the greeting, fitted to what the item's line leaves of the 80 characters, above that line. */
function withGreeting(shop: ShopRecord, key: TemplateKey, firstName: string | undefined, line: string): string {
  const room = LIMITS.elementSubtitleChars - line.length - 1;
  const greeting = room > 0 ? renderText(shop, key, { first_name: firstName }, room) : "";
  return greeting ? `${greeting}\n${line}` : line;
}

/** The card standing for the items past the ninth: how many and their total as its title, their names as its subtitle. */
function foldedItems(shop: ShopRecord, folded: Checkout["line_items"], currency: string): { title: string; subtitle: string } {
  const d = currencyDecimals(currency);
  const total = folded.reduce((sum, li) => sum + toMinor(li.price, d) * BigInt(li.quantity ?? 1), 0n);
  return {
    title: renderText(shop, "abandoned.more_items", { count: String(folded.length), total: fromMinor(total, d), currency }),
    subtitle: folded.map((li) => li.title).join(", "),
  };
}

/**
 * checkouts/create and checkouts/update: a sequence of recalls at the shop's delays after the
 * checkout's last change (as received), each re-scheduled (never duplicated) by later updates. Promotional: no
 * tag, and only inside the recipient's 24-hour window (checked when each is sent). Completed
 * checkouts close the subject; a newer checkout of the same recipient supersedes older ones.
 */
export const abandonedCheckout: EventHandler<Checkout> = async ({ ctx, event, payload: checkout, shop }) => {
  const s = shop!;
  const subject = subjectKey.checkout(checkout.token);
  // Shopify does not deliver in order: an update made before one already applied would bring back
  // an older cart (or its recalls' times).
  const triggeredAt = triggeredAtOf(event.triggeredAt);
  const applied = triggeredAt && (await ctx.deliveries.appliedVersion(s.domain, subject));
  if (triggeredAt && applied && triggeredAt < applied) return skipped(`an older change of the checkout than one already applied (${applied.toISOString()})`);
  const version = triggeredAt ? { subjectKey: subject, triggeredAt } : undefined;
  if (checkout.completed_at) return { ...processed("checkout completed"), close: [{ subjectKey: subject, code: "order_placed", reason: "checkout completed" }], version };
  if (!s.settings.automations.abandoned) return skipped("abandoned-checkout automation is off");
  const url = webUrl(checkout.abandoned_checkout_url);
  if (!url) return skipped("checkout has no usable abandoned_checkout_url to bring the customer back to");
  const to = await resolveRecipient(ctx, s, {
    customerId: checkout.customer?.id ?? null,
    email: checkout.customer?.email || checkout.email || null,
    phone: checkout.customer?.phone || checkout.phone || null,
    noteAttributes: checkout.note_attributes ?? null,
  });
  if (!to.recipient) return { ...unsent("abandoned", subject, "no_recipient", `no recipient: ${to.reason}`), version };
  const policy = policyFor("abandoned", s.settings);
  // Delays count from when the change reached the app (a late webhook must not fire every step at once).
  const from = ctx.clock.now().getTime();
  const deliveries: PlannedDelivery[] = s.abandonedDelaysMinutes.map((minutes, step) => ({
    key: AUTOMATIONS.abandoned.key(s.domain, checkout.token, step + 1),
    automation: "abandoned",
    recipient: to.recipient,
    customerId: checkout.customer?.id ?? null,
    // Each step with its own text and coupon.
    message: buildRecall(s, checkout, url, step + 1),
    promotional: policy.promotional,
    windowOpenedAt: to.windowOpenedAt,
    subjectKey: subject,
    runAt: new Date(from + minutes * MINUTE_MS),
  }));
  // An order that arrived first may name this checkout only by its cart token or numeric id.
  const aliases = [checkout.cart_token && subjectKey.cart(checkout.cart_token), checkout.id && subjectKey.checkoutId(checkout.id)].filter((k): k is string => !!k);
  let cartClosed: { code: ReasonCode; reason: string } | null = null;
  for (const alias of aliases) cartClosed ??= await ctx.deliveries.closedReason(s.domain, alias);
  return {
    state: "processed",
    deliveries,
    close: cartClosed ? [{ subjectKey: subject, ...cartClosed }] : undefined,
    supersede: { recipient: to.recipient, automation: "abandoned", keepSubjectKey: subject, code: "superseded", reason: "superseded by a newer checkout" },
    version,
  };
};

/** X-Shopify-Triggered-At as a time, or null when absent, unreadable or outside what the databases hold. */
function triggeredAtOf(header: string | null): Date | null {
  if (!header) return null;
  const t = new Date(header);
  return isStorableTime(t.getTime()) ? t : null;
}

/** abandoned: its topics, read through checkoutSchema. */
// The preview's checkouts: one item, several, and more than a carousel shows.
const SAMPLE_URL = "https://example.com/checkouts/c/sample";
const SAMPLE_CHECKOUT = checkoutSchema.parse({
  token: "sample",
  currency: "USD",
  abandoned_checkout_url: SAMPLE_URL,
  customer: { id: 1, first_name: "Alan" },
  line_items: [sampleItem("Linen shirt", "M / Sand", "49.00")],
});
const SAMPLE_CART = checkoutSchema.parse({
  ...SAMPLE_CHECKOUT,
  line_items: [sampleItem("Linen shirt", "M / Sand", "49.00"), sampleItem("Canvas tote", "Natural", "19.50")],
});
// Past 10 items the carousel's last card names the rest: 9 cards, then "+ 3 more items (57.00 USD)".
const SAMPLE_BIG_CART = checkoutSchema.parse({
  ...SAMPLE_CHECKOUT,
  line_items: [
    ...["Linen shirt", "Canvas tote", "Wool socks", "Denim jacket", "Cotton scarf", "Leather belt", "Straw hat", "Silk tie", "Rain coat"].map((t) => sampleItem(t, "M", "25.00")),
    ...["Beanie", "Gloves", "Bandana"].map((t) => sampleItem(t, "One size", "19.00")),
  ],
});

/**
 * The admin's preview: recall `step` (the first when none is asked) for one item, then the step's
 * carts of several items, then each other step's for one item.
 */
const previewRecall = (s: ShopRecord, step = 1): SampleMessages => {
  const stepLabel = (n: number) => {
    const delay = s.abandonedDelaysMinutes[n - 1];
    const code = couponOfStep(s, n);
    return `Recall ${n}${delay === undefined ? "" : `, ${delay} minutes after the checkout`}${code ? `, with coupon ${code}` : ""}`;
  };
  const others = s.abandonedDelaysMinutes.map((_, i) => i + 1).filter((n) => n !== step);
  return {
    message: buildRecall(s, SAMPLE_CHECKOUT, SAMPLE_URL, step),
    alternatives: [
      { label: "Cart with several items", message: buildRecall(s, SAMPLE_CART, SAMPLE_URL, step) },
      { label: "Cart with 12 items (the last card names the rest)", message: buildRecall(s, SAMPLE_BIG_CART, SAMPLE_URL, step) },
      ...others.map((n) => ({ label: stepLabel(n), message: buildRecall(s, SAMPLE_CHECKOUT, SAMPLE_URL, n) })),
    ],
  };
};

export const abandonedCheckoutRegistration = on("abandoned", ["checkouts/create", "checkouts/update"], checkoutSchema, abandonedCheckout, previewRecall);
