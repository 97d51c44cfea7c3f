// The settings form's own state and the change it saves: the draft as the merchant types it, read
// from the shop's settings and turned back into the PUT /settings body.
import type { BotButtonAutomation, DeliveryStatus, ShopSettings, SwitchedAutomation } from "./types";

/** The messages that can carry a button into the JoinChat bot (each named as the catalog names it), with an example of what it is for. */
export const BOT_BUTTONS: { id: BotButtonAutomation; example: string }[] = [
  { id: "welcome", example: "e.g. “Talk to us”" },
  { id: "abandoned", example: "e.g. “Ask a question”" },
  { id: "shipping", example: "e.g. “Track my order”" },
];

export interface BotButtonDraft {
  title: string;
  start: "block" | "flow";
  id: string;
}

/** The form's own state: numbers and lists as the merchant types them. */
export interface Draft {
  pageId: string;
  joinchatSecret: string;
  sdkUrl: string;
  automations: Record<SwitchedAutomation, boolean>;
  deliveryUpdates: Record<DeliveryStatus, boolean>;
  reminderOn: boolean;
  reminderDelay: string;
  delays: string;
  couponMode: ShopSettings["couponMode"];
  couponCode: string;
  prefix: string;
  percentage: string;
  validDays: string;
  optInEmail: boolean;
  optInPhone: boolean;
  language: ShopSettings["language"];
  receiptTopic: ShopSettings["receiptTopic"];
  pastWindow: ShopSettings["pastWindow"];
  receiptTag: string;
  shippingTag: string;
  points: string;
  creditAmount: string;
  creditCurrency: string;
  creditDays: string;
  bot: Record<BotButtonAutomation, BotButtonDraft>;
  promotionPause: boolean;
  resendUnanswered: ShopSettings["resendUnanswered"];
  attribution: ShopSettings["results"]["attribution"];
  windowDays: string;
  holdoutPercent: string;
}

export const draftOf = (s: ShopSettings): Draft => ({
  pageId: s.pageId ?? "",
  joinchatSecret: "",
  sdkUrl: s.sdkUrl ?? "",
  automations: { ...s.automations },
  deliveryUpdates: { ...s.deliveryUpdates },
  reminderOn: s.paymentReminder.enabled,
  reminderDelay: String(s.paymentReminder.delayMinutes),
  delays: s.abandonedDelaysMinutes.join(", "),
  couponMode: s.couponMode,
  couponCode: s.couponCode ?? "",
  prefix: s.uniqueCoupon.prefix,
  percentage: String(s.uniqueCoupon.percentage),
  validDays: String(s.uniqueCoupon.validDays),
  optInEmail: s.recipientOptIn.email,
  optInPhone: s.recipientOptIn.phone,
  language: s.language,
  receiptTopic: s.receiptTopic,
  pastWindow: s.pastWindow,
  receiptTag: s.tags.receipt,
  shippingTag: s.tags.shipping,
  points: s.signupReward.points ? String(s.signupReward.points) : "",
  creditAmount: s.signupReward.storeCredit?.amount ?? "",
  creditCurrency: s.signupReward.storeCredit?.currency ?? "",
  creditDays: s.signupReward.storeCredit?.expiresInDays ? String(s.signupReward.storeCredit.expiresInDays) : "",
  bot: Object.fromEntries(
    BOT_BUTTONS.map(({ id }) => {
      const b = s.botButtons[id];
      return [id, { title: b?.title ?? "", start: b?.start ?? "block", id: b ? String(b.id) : "" }];
    }),
  ) as Record<BotButtonAutomation, BotButtonDraft>,
  promotionPause: s.promotionPause,
  resendUnanswered: { ...s.resendUnanswered },
  attribution: s.results.attribution,
  windowDays: String(s.results.windowDays),
  holdoutPercent: String(s.results.holdoutPercent),
});

/** A whole number as typed, else the text itself, for the server to refuse with the field named (never NaN, which JSON sends as null). */
const numberOrText = (t: string) => (/^\d+$/.test(t.trim()) ? Number(t.trim()) : t.trim());

export function changeOf(d: Draft) {
  return {
    ...(d.pageId ? { pageId: d.pageId.trim() } : {}),
    ...(d.joinchatSecret ? { joinchatSecret: d.joinchatSecret } : {}),
    sdkUrl: d.sdkUrl.trim() || null,
    automations: d.automations,
    deliveryUpdates: d.deliveryUpdates,
    paymentReminder: { enabled: d.reminderOn, delayMinutes: Number(d.reminderDelay) },
    abandonedDelaysMinutes: d.delays
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean)
      .map(Number),
    couponMode: d.couponMode,
    ...(d.couponCode.trim() ? { couponCode: d.couponCode.trim() } : {}),
    uniqueCoupon: { prefix: d.prefix.trim(), percentage: Number(d.percentage), validDays: Number(d.validDays) },
    recipientOptIn: { email: d.optInEmail, phone: d.optInPhone },
    language: d.language,
    receiptTopic: d.receiptTopic,
    resendUnanswered: d.resendUnanswered,
    pastWindow: d.pastWindow,
    tags: { receipt: d.receiptTag, shipping: d.shippingTag },
    signupReward: {
      points: d.points.trim() ? numberOrText(d.points) : null,
      storeCredit: d.creditAmount.trim()
        ? { amount: d.creditAmount.trim(), currency: d.creditCurrency.trim().toUpperCase(), ...(d.creditDays.trim() ? { expiresInDays: numberOrText(d.creditDays) } : {}) }
        : null,
    },
    // A button with neither title nor id is none; one half-filled is sent, for the server to say what is missing.
    botButtons: Object.fromEntries(
      BOT_BUTTONS.map(({ id }) => {
        const b = d.bot[id];
        return [id, b.title.trim() || b.id.trim() ? { title: b.title, start: b.start, id: numberOrText(b.id) } : null];
      }),
    ),
    promotionPause: d.promotionPause,
    results: { attribution: d.attribution, windowDays: Number(d.windowDays), holdoutPercent: Number(d.holdoutPercent) },
  };
}
