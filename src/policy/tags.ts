import type { MessageTag } from "../messages/limits";

export type Automation = "welcome" | "abandoned" | "receipt" | "shipping" | "delivery" | "payment_reminder";

/**
 * The one place that says what each automation is. Transactional messages carry a tag, which a
 * shop may change in its settings (Meta keeps narrowing tags); promotional ones never carry a tag
 * and may go out only inside the 24-hour window the recipient's opt-in opened.
 */
const POLICY: Record<Automation, { promotional: true } | { promotional: false; defaultTag: MessageTag }> = {
  welcome: { promotional: true },
  abandoned: { promotional: true },
  receipt: { promotional: false, defaultTag: "PAYMENT_UPDATE" },
  shipping: { promotional: false, defaultTag: "SHIPPING_UPDATE" },
  // Out for delivery, delivered, a failed attempt: what SHIPPING_UPDATE names ("in transit,
  // delivered, delayed"), so they go as the shipping notice does, with its tag (policyFor).
  delivery: { promotional: false, defaultTag: "SHIPPING_UPDATE" },
  // A reminder to pay an unpaid order goes only inside the 24-hour window, untagged, the way a
  // promotion does, and is skipped past it. None of the tags Meta still accepts in 2026 covers it
  // (only HUMAN_AGENT remains, for a person's replies); PAYMENT_UPDATE and its successor
  // POST_PURCHASE_UPDATE are retired, and even in 2019 PAYMENT_UPDATE meant a change of payment
  // status, not a nudge to pay, which Meta treats as marketing. Tagging it past the window would
  // risk the page for a message the customer can do without.
  payment_reminder: { promotional: true },
};

export interface MessagePolicy {
  promotional: boolean;
  tag?: MessageTag;
}

/**
 * `settings`: the shop's tag of each transactional automation, when it chose one (ShopSettings.tags).
 * Delivery updates carry the shipping notice's tag: one choice for every message about a parcel.
 */
export function policyFor(automation: Automation, settings: { tags: Partial<Record<"receipt" | "shipping", MessageTag>> }): MessagePolicy {
  const p = POLICY[automation];
  if (p.promotional) return { promotional: true };
  const override = automation === "receipt" ? settings.tags.receipt : automation === "shipping" || automation === "delivery" ? settings.tags.shipping : undefined;
  return { promotional: false, tag: override ?? p.defaultTag };
}

/** What a shop does with a receipt, shipping notice or delivery update whose recipient's 24-hour window has closed. */
export const PAST_WINDOW_CHOICES = ["send_tagged", "hold"] as const;
export type PastWindowChoice = (typeof PAST_WINDOW_CHOICES)[number];

export type SendDecision = { send: true; tag: MessageTag | null } | { send: false; reason: string };

/** Also what a payment reminder past the window records: it goes by the same rule. */
export const PROMOTION_PAST_WINDOW = "promotional message and the recipient's 24-hour window has closed";
export const HELD_PAST_WINDOW = "past the 24-hour window: held, as the shop chose (hold past 24 hours)";

/**
 * Meta's rules of 2026, applied when a message goes out. Inside the recipient's 24-hour window
 * (since their last opt-in) every message goes untagged, which Meta always accepts. Past it a
 * promotion never goes; a transactional message goes with its tag (JoinChat's way past the
 * window, whose answer the worker reads) unless the shop chose to hold it.
 */
export function sendDecision(m: { promotional: boolean; tag: MessageTag | null }, windowOpen: boolean, pastWindow: PastWindowChoice): SendDecision {
  if (windowOpen) return { send: true, tag: null };
  if (m.promotional) return { send: false, reason: PROMOTION_PAST_WINDOW };
  if (pastWindow === "hold") return { send: false, reason: HELD_PAST_WINDOW };
  return { send: true, tag: m.tag };
}
