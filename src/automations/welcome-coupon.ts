import { buttonMessage, urlButton } from "../messages/builders";
import { botButtonsOf } from "./bot-buttons";
import type { ButtonMessage } from "../messages/schema";
import type { ShopRecord } from "../store/shops";
import { MAX_EVENT_ATTEMPTS, on, skipped, unsent, type EventContext, type EventHandler, type SampleMessages } from "./contract";
import { AdminApiRefusedError, AdminApiUnavailableError } from "../shopify/admin-graphql";
import { createWelcomeCode, welcomeCodeFor } from "../shopify/discounts";
import { AUTOMATIONS, policyFor } from "../policy/automations";
import { isWindowOpen } from "../policy/send-decision";
import { resolveRecipient } from "../recipients/resolver";
import { newCustomerSchema, type NewCustomer } from "./payloads";
import { offlineAdminOf } from "../shopify/offline-tokens";
import { renderText } from "./templates";
import { subjectKey } from "../store/keys";
import { rewardValues, signupCreditFor, type GrantedCredit } from "./signup-reward";

/**
 * The welcome message: the coupon (with the shop's loyalty points and the store credit granted,
 * when set), a button that opens the shop with it applied, and the shop's bot button if it set one.
 */
export function buildWelcome(shop: ShopRecord, firstName: string | undefined, code: string, credit: GrantedCredit | null = null): ButtonMessage {
  const url = `https://${shop.domain}/discount/${encodeURIComponent(code)}`;
  const text = renderText(shop, "welcome.text", { first_name: firstName, coupon_code: code, ...rewardValues(shop, credit) });
  return buttonMessage(text, [urlButton(renderText(shop, "welcome.button", {}), url), ...botButtonsOf(shop, "welcome")]);
}

/**
 * customers/create: a button message with the shop's coupon and a button that opens the shop
 * with the discount applied. Promotional: no tag, only inside the 24-hour window.
 *
 * The code is the shop's static one, or with couponMode "unique" a single-use code made for this
 * customer through the Admin API (see couponFor).
 */
export const welcomeCoupon: EventHandler<NewCustomer> = async (e) => {
  const { ctx, payload: customer, shop } = e;
  const s = shop!;
  if (!s.settings.automations.welcome) return skipped("welcome automation is off");
  const subject = subjectKey.customer(customer.id);
  if (s.settings.couponMode === "static" && !s.couponCode) return unsent("welcome", subject, "no_coupon_code", NO_STATIC_CODE);
  const to = await resolveRecipient(ctx, s, { customerId: customer.id, email: customer.email ?? null, phone: customer.phone ?? null, noteAttributes: null });
  if (!to.recipient) return unsent("welcome", subject, "no_recipient", `no recipient: ${to.reason}`);
  const policy = policyFor("welcome", s.settings);
  // A unique code is only made for a customer the message can reach now (with a static code the
  // delivery row records the closed window instead).
  if (s.settings.couponMode === "unique" && policy.promotional && !isWindowOpen(to.windowOpenedAt, ctx.clock.now())) {
    return unsent("welcome", subject, "window_closed", "recipient's 24-hour window is closed: no unique code made");
  }
  const coupon = await couponFor(e, customer.id);
  if (coupon.code === null) return unsent("welcome", subject, "no_coupon_code", coupon.note);
  const code = coupon.code;
  // Store credit only for a customer the message reaches now, as a unique code.
  const reward =
    s.settings.signupReward.storeCredit && policy.promotional && !isWindowOpen(to.windowOpenedAt, ctx.clock.now())
      ? { credit: null, note: "recipient's 24-hour window is closed: no store credit granted" }
      : await signupCreditFor(e, customer.id);
  const message = buildWelcome(s, customer.first_name ?? undefined, code, reward.credit);
  const notes = [coupon.note, reward.note].filter(Boolean);
  return {
    state: "processed",
    note: notes.length ? notes.join("; ") : undefined,
    deliveries: [
      {
        key: AUTOMATIONS.welcome.key(s.domain, customer.id),
        automation: "welcome",
        recipient: to.recipient,
        customerId: customer.id,
        message,
        promotional: policy.promotional,
        windowOpenedAt: to.windowOpenedAt,
        subjectKey: subject,
        runAt: ctx.clock.now(),
      },
    ],
  };
};

const NO_STATIC_CODE = "no coupon code configured (npm run cli -- shop:set --coupon-code CODE)";

/**
 * The code to send, and a note when it is not what the shop asked for. A unique code needs the
 * app's OAuth install (an offline session); when Shopify refuses, or stays throttled through
 * the event's last try, the shop's static code stands in and the note says why. While tries
 * remain, an unavailable Admin API throws, so the event is handled again later.
 */
async function couponFor({ ctx, shop, event }: EventContext<NewCustomer>, customerId: string): Promise<{ code: string; note?: string } | { code: null; note: string }> {
  const s = shop!;
  const fallback = (why: string) =>
    s.couponCode ? { code: s.couponCode, note: `${why}: the static code was used` } : { code: null as null, note: `${why}, and ${NO_STATIC_CODE}` };
  if (s.settings.couponMode === "static") return { code: s.couponCode! };
  const api = await offlineAdminOf(ctx, s.domain);
  if ("reason" in api) return fallback(api.reason ?? "unique codes need the app installed (no offline token: open the app in Shopify admin once)");
  const { admin, session } = api;
  const code = welcomeCodeFor(ctx.config.SHOPIFY_API_SECRET!, s.domain, customerId, s.settings.uniqueCoupon.prefix);
  try {
    return { code: await createWelcomeCode(admin, session, { code, customerId, settings: s.settings.uniqueCoupon, now: ctx.clock.now() }) };
  } catch (err) {
    if (err instanceof AdminApiRefusedError) return fallback(err.message);
    if (err instanceof AdminApiUnavailableError && event.attempts >= MAX_EVENT_ATTEMPTS) return fallback(err.message);
    throw err;
  }
}

/** The store credit the preview measures the welcome's phrase with while the shop has set none. */
const SAMPLE_CREDIT = { amount: "5", currency: "USD" };

/** The admin's preview: the shop's reward as it would be granted; each phrase measured with a sample when not set. */
function previewWelcome(s: ShopRecord): SampleMessages {
  const code = s.couponCode ?? `${s.settings.uniqueCoupon.prefix}-SAMPLE`;
  const credit = s.settings.signupReward.storeCredit ?? null;
  const alternatives: SampleMessages["alternatives"] = [];
  if (!s.settings.signupReward.points && !credit) {
    alternatives.push({
      label: "With loyalty points and store credit (once set in Settings)",
      message: buildWelcome({ ...s, settings: { ...s.settings, signupReward: { points: 100 } } }, "Alan", code, SAMPLE_CREDIT),
    });
  }
  return { message: buildWelcome(s, "Alan", code, credit), alternatives };
}

/** welcome: its topics, read through newCustomerSchema. */
export const welcomeCouponRegistration = on("welcome", ["customers/create"], newCustomerSchema, welcomeCoupon, previewWelcome);
