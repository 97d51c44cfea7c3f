import type { MessageTag } from "../messages/limits";
import type { ShopSettings } from "../store/shops";

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

export function policyFor(automation: Automation, settings: ShopSettings): MessagePolicy {
  const p = POLICY[automation];
  if (p.promotional) return { promotional: true };
  const override = automation === "receipt" || automation === "shipping" ? settings.tags[automation] : undefined;
  return { promotional: false, tag: override ?? p.defaultTag };
}
