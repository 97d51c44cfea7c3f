/**
 * The catalog of automations: the one place that says what each automation is. Every list of
 * automation names, every delivery key's format and parser, every "is this automation switched
 * on", every tag rule and the template keys of each read it. Pure: it imports no store (the
 * settings it reads are structural types), so every layer above may use it.
 *
 * Adding an automation: its entry here, its handler (src/automations/<name>.ts, registered by
 * topic in src/events/handlers.ts), its topic in src/events/topics.ts and shopify.app.toml, and
 * its section of the admin.
 */
import type { PastWindowTag } from "../messages/limits";
import type { ReasonCode } from "./reasons";
import { keyPart } from "./key-part";
import type { AutomationName } from "./automation-names";

/** The carrier scans a delivery update is sent for, each switched on by itself. */
export const DELIVERY_STATUSES = ["out_for_delivery", "delivered", "attempted_delivery"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const isDeliveryStatus = (s: string): s is DeliveryStatus => (DELIVERY_STATUSES as readonly string[]).includes(s);

/** What of a shop's settings decides whether an automation is on (ShopSettings has these). */
export interface SwitchSettings {
  automations: { welcome: boolean; abandoned: boolean; receipt: boolean; shipping: boolean };
  deliveryUpdates: Record<DeliveryStatus, boolean>;
  paymentReminder: { enabled: boolean };
}

/** What of a shop's settings decides a transactional automation's tag (ShopSettings has these). */
export interface TagSettings {
  tags: Partial<Record<"receipt" | "shipping", PastWindowTag>>;
}

interface Entry {
  /** How the admin names it. */
  label: string;
  /**
   * Promotional: never tagged, sent only inside the recipient's 24-hour window, skipped past it.
   * Transactional: past the window it goes with its tag (the shop's choice, or the default) or is
   * held, as the shop chose (src/policy/send-decision.ts).
   */
  promotional: boolean;
  /** A transactional automation's tag: the setting that may override it, and the default. */
  tag: { setting: keyof TagSettings["tags"]; default: PastWindowTag } | null;
  /** Whether the shop has it switched on for a message with this delivery key. */
  switchedOn(settings: SwitchSettings, key: string): boolean;
  /** Whether some of its messages are held out on purpose, for Results' comparison (src/policy/holdout.ts). */
  holdout: boolean;
  /** The shop's templates it renders (src/automations/templates.ts). */
  templateKeys: readonly string[];
  /**
   * Whether its templates must say nothing of offers (src/policy/promotional-text.ts): they speak
   * of an order, and a transactional one's may go tagged past the window, where Meta forbids promotions.
   */
  orderTemplates: boolean;
  /** Why one of its messages may end without being sent, besides the reasons every message has. */
  reasons: readonly ReasonCode[];
  /** What its delivery key says, read back (a recall's checkout and step, an update's status); null for another key. */
  parseKey?: (key: string) => unknown;
}

/** The carrier status of a delivery update's key; null for any other key. */
function deliveryStatusOfKey(key: string): string | null {
  return key.startsWith("delivery:") ? key.slice(key.lastIndexOf(":") + 1) : null;
}

/** The checkout token and step of an abandoned-checkout recall's key; null for any other key. */
function recallOfKey(key: string): { checkoutToken: string; step: number } | null {
  const m = /^abandoned:[^:]+:(.+):(\d+)$/.exec(key);
  return m ? { checkoutToken: m[1]!, step: Number(m[2]) } : null;
}

export const AUTOMATIONS = {
  welcome: {
    label: "Welcome coupon",
    promotional: true,
    tag: null,
    switchedOn: (s) => s.automations.welcome,
    holdout: false,
    templateKeys: ["welcome.text", "welcome.button", "welcome.points", "welcome.store_credit"],
    orderTemplates: false,
    reasons: ["window_closed", "promotions_paused", "no_coupon_code"],
    key: (shop: string, customerId: string) => `welcome:${shop}:${keyPart(customerId)}`,
  },
  abandoned: {
    label: "Abandoned checkout",
    promotional: true,
    tag: null,
    switchedOn: (s) => s.automations.abandoned,
    holdout: true,
    templateKeys: ["abandoned.text", "abandoned.button", "abandoned.item_subtitle", "abandoned.greeting", "abandoned.more_items"],
    orderTemplates: false,
    reasons: ["window_closed", "promotions_paused", "holdout", "superseded", "order_placed"],
    key: (shop: string, checkoutToken: string, step: number) => `abandoned:${shop}:${keyPart(checkoutToken)}:${step}`,
    parseKey: recallOfKey,
  },
  receipt: {
    label: "Order receipt",
    promotional: false,
    tag: { setting: "receipt", default: "POST_PURCHASE_UPDATE" },
    switchedOn: (s) => s.automations.receipt,
    holdout: false,
    templateKeys: [],
    orderTemplates: true,
    reasons: ["outside_window"],
    key: (shop: string, orderId: string) => `receipt:${shop}:${keyPart(orderId)}`,
  },
  shipping: {
    label: "Shipping notice",
    promotional: false,
    tag: { setting: "shipping", default: "POST_PURCHASE_UPDATE" },
    switchedOn: (s) => s.automations.shipping,
    holdout: false,
    templateKeys: ["shipping.text", "shipping.button"],
    orderTemplates: true,
    reasons: ["outside_window", "promotional_text"],
    key: (shop: string, fulfillmentId: string, trackingNumber: string | null) => `${shippingKeyPrefix(shop, fulfillmentId)}${keyPart(trackingNumber ?? "none")}`,
  },
  // Out for delivery, delivered, a failed attempt: news of the parcel, so they go as the shipping
  // notice does, with its tag.
  delivery: {
    label: "Delivery updates",
    promotional: false,
    tag: { setting: "shipping", default: "POST_PURCHASE_UPDATE" },
    switchedOn: (s, key) => {
      const status = deliveryStatusOfKey(key);
      return status === null || s.deliveryUpdates[status as DeliveryStatus] !== false;
    },
    holdout: false,
    templateKeys: ["delivery.out_for_delivery", "delivery.delivered", "delivery.attempted_delivery", "delivery.button"],
    orderTemplates: true,
    reasons: ["outside_window", "promotional_text", "delivery_status_off", "not_delivery_status", "older_scan"],
    /** One delivery update per fulfillment and status (a carrier that reports "out for delivery" twice sends once). */
    key: (shop: string, fulfillmentId: string, status: string) => `delivery:${shop}:${keyPart(fulfillmentId)}:${status}`,
    parseKey: deliveryStatusOfKey,
  },
  // A reminder to pay an unpaid order goes only inside the 24-hour window, untagged, the way a
  // promotion does, and is skipped past it. None of the tags Meta still accepts in 2026 covers it
  // (only HUMAN_AGENT remains, for a person's replies); PAYMENT_UPDATE and its successor
  // POST_PURCHASE_UPDATE are retired, and even in 2019 PAYMENT_UPDATE meant a change of payment
  // status, not a nudge to pay, which Meta treats as marketing. Tagging it past the window would
  // risk the page for a message the customer can do without.
  payment_reminder: {
    label: "Payment reminder",
    promotional: true,
    tag: null,
    switchedOn: (s) => s.paymentReminder.enabled,
    holdout: false,
    templateKeys: ["payment_reminder.text", "payment_reminder.button"],
    orderTemplates: true,
    reasons: ["window_closed", "no_payment_needed", "no_status_page"],
    /** One payment reminder per order, whatever topics or repeats arrive. */
    key: (shop: string, orderId: string) => `payment-reminder:${shop}:${keyPart(orderId)}`,
  },
} as const satisfies Record<AutomationName, Entry & { key: (shop: string, ...parts: never[]) => string }>;

export function isAutomationName(name: string): name is AutomationName {
  return Object.hasOwn(AUTOMATIONS, name);
}

/** An automation's entry; null for a message sent by hand (or a name the app no longer has). */
function automationOf(name: string): Entry | null {
  return isAutomationName(name) ? AUTOMATIONS[name] : null;
}

/** What every key of one kind about one thing starts with: the shipping notices of a fulfillment, whatever their tracking number. */
export function shippingKeyPrefix(shop: string, fulfillmentId: string): string {
  return `shipping:${shop}:${keyPart(fulfillmentId)}:`;
}

/** A message sent by hand (admin test message, `npm run cli -- send`). */
export const manualKey = (shop: string, id: string) => `manual:${shop}:${keyPart(id)}`;

/**
 * Whether the setting that switches on the automation of a scheduled message is still on: a
 * recall planned yesterday is not sent once the merchant turned recalls off. Messages sent by
 * hand always go.
 */
export function automationSwitchedOn(settings: SwitchSettings, automation: string, key: string): boolean {
  return automationOf(automation)?.switchedOn(settings, key) ?? true;
}

export interface MessagePolicy {
  promotional: boolean;
  tag?: PastWindowTag;
}

/** Whether an automation's messages are promotional, and a transactional one's tag: the shop's choice, or the default. */
export function policyFor(automation: AutomationName, settings: TagSettings): MessagePolicy {
  const a: Entry = AUTOMATIONS[automation];
  if (!a.tag) return { promotional: a.promotional };
  return { promotional: false, tag: settings.tags[a.tag.setting] ?? a.tag.default };
}
