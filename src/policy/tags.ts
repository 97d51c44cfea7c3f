import type { MessageTag } from "../messages/limits";

export type Automation = "welcome" | "abandoned" | "receipt" | "shipping";

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
};

export interface MessagePolicy {
  promotional: boolean;
  tag?: MessageTag;
}

/** `settings`: the shop's tag of each transactional automation, when it chose one (ShopSettings.tags). */
export function policyFor(automation: Automation, settings: { tags: Partial<Record<"receipt" | "shipping", MessageTag>> }): MessagePolicy {
  const p = POLICY[automation];
  if (p.promotional) return { promotional: true };
  const override = automation === "receipt" || automation === "shipping" ? settings.tags[automation] : undefined;
  return { promotional: false, tag: override ?? p.defaultTag };
}

/** What a shop does with a receipt or shipping notice whose recipient's 24-hour window has closed. */
export const PAST_WINDOW_CHOICES = ["send_tagged", "hold"] as const;
export type PastWindowChoice = (typeof PAST_WINDOW_CHOICES)[number];

export type SendDecision = { send: true; tag: MessageTag | null } | { send: false; reason: string };

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
