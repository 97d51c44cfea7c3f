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
  /** Each recall step's coupon as typed, in order; empty: none. */
  recallCoupons: string[];
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
  recallCoupons: s.recallSteps.coupons.map((c) => c ?? ""),
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

/** A number as typed, else the text itself, for the server to refuse with the field named (never NaN, which JSON sends as null). */
const numberOrText = (t: string) => (/^\d+(\.\d+)?$/.test(t.trim()) ? Number(t.trim()) : t.trim());

function withoutTrailingNones<T>(list: (T | null)[]): (T | null)[] {
  let end = list.length;
  while (end > 0 && list[end - 1] === null) end--;
  return list.slice(0, end);
}

/** The recall delays as typed, those that read as numbers (the server refuses the rest, on their field). */
export const recallDelaysOf = (d: Draft) =>
  d.delays
    .split(",")
    .map((m) => Number(m.trim()))
    .filter((m) => m > 0);

export function changeOf(d: Draft) {
  return {
    ...(d.pageId ? { pageId: d.pageId.trim() } : {}),
    ...(d.joinchatSecret ? { joinchatSecret: d.joinchatSecret } : {}),
    sdkUrl: d.sdkUrl.trim() || null,
    automations: d.automations,
    deliveryUpdates: d.deliveryUpdates,
    paymentReminder: { enabled: d.reminderOn, delayMinutes: numberOrText(d.reminderDelay) },
    abandonedDelaysMinutes: d.delays
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean)
      .map(numberOrText),
    // Up to the last step with a coupon: a step without one needs no entry.
    recallSteps: { coupons: withoutTrailingNones(d.recallCoupons.map((c) => c.trim() || null)) },
    couponMode: d.couponMode,
    // Cleared is sent as cleared: the server clears it, or says why it cannot.
    couponCode: d.couponCode.trim() || null,
    uniqueCoupon: { prefix: d.prefix.trim(), percentage: numberOrText(d.percentage), validDays: numberOrText(d.validDays) },
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
    results: { attribution: d.attribution, windowDays: numberOrText(d.windowDays), holdoutPercent: numberOrText(d.holdoutPercent) },
  };
}

/** The change the whole form sends. */
export type SettingsChange = ReturnType<typeof changeOf>;

/**
 * The form's sections, each saved on its own: the draft fields it shows and the parts of the
 * change it sends. Every draft field and every part of the change is in exactly one section.
 */
export const SECTIONS = {
  joinchat: { draft: ["pageId", "joinchatSecret", "sdkUrl"], change: ["pageId", "joinchatSecret", "sdkUrl"] },
  automations: { draft: ["automations", "delays", "receiptTopic"], change: ["automations", "abandonedDelaysMinutes", "receiptTopic"] },
  recallSteps: { draft: ["recallCoupons"], change: ["recallSteps"] },
  deliveryUpdates: { draft: ["deliveryUpdates"], change: ["deliveryUpdates"] },
  paymentReminder: { draft: ["reminderOn", "reminderDelay"], change: ["paymentReminder"] },
  pastWindow: { draft: ["pastWindow", "receiptTag", "shippingTag"], change: ["pastWindow", "tags"] },
  resend: { draft: ["resendUnanswered"], change: ["resendUnanswered"] },
  protection: { draft: ["promotionPause"], change: ["promotionPause"] },
  results: { draft: ["attribution", "windowDays", "holdoutPercent"], change: ["results"] },
  coupon: { draft: ["couponMode", "couponCode", "prefix", "percentage", "validDays"], change: ["couponMode", "couponCode", "uniqueCoupon"] },
  signupReward: { draft: ["points", "creditAmount", "creditCurrency", "creditDays"], change: ["signupReward"] },
  botButtons: { draft: ["bot"], change: ["botButtons"] },
  recipients: { draft: ["optInEmail", "optInPhone", "language"], change: ["recipientOptIn", "language"] },
} as const satisfies Record<string, { draft: readonly (keyof Draft)[]; change: readonly (keyof SettingsChange)[] }>;
export type SectionId = keyof typeof SECTIONS;
export const SECTION_IDS = Object.keys(SECTIONS) as SectionId[];

/** The part of the change the sections send: what saving them puts to the server, and nothing of the others. */
export function sectionsChange(d: Draft, ids: readonly SectionId[]): Partial<SettingsChange> {
  const all = changeOf(d) as Record<string, unknown>;
  return Object.fromEntries(ids.flatMap((id) => SECTIONS[id].change.filter((k) => k in all).map((k) => [k, all[k]])));
}

/** Whether a section holds a change the saved settings do not have. */
export const isDirty = (id: SectionId, d: Draft, saved: Draft) => JSON.stringify(sectionsChange(d, [id])) !== JSON.stringify(sectionsChange(saved, [id]));

/** The draft after the sections `ids` were saved: theirs as the server now has them, the others' unsaved edits kept. */
export function afterSave(d: Draft, saved: Draft, ids: readonly SectionId[]): Draft {
  const out: Record<string, unknown> = { ...d };
  for (const id of ids) for (const k of SECTIONS[id].draft) out[k] = saved[k];
  return out as unknown as Draft;
}

/** The section whose change holds a problem's field ("results.windowDays" is the results section's), if any. */
export const sectionOfField = (field: string): SectionId | undefined => SECTION_IDS.find((id) => (SECTIONS[id].change as readonly string[]).includes(field.split(".")[0]!));
