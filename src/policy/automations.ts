/**
 * The catalog of automations: the one place that says what each automation is. Every list of
 * automation names, every delivery key's format and parser, every "is this automation switched
 * on", every tag rule, every bot button, every label the admin shows, every setting an automation
 * has of its own and every text an automation sends (its default wording, limit and placeholders)
 * read it. Pure and free of Node: it imports no store (the settings it reads are structural
 * types), so every layer above may use it, and the shop's settings schemas and the admin page's
 * types read it too.
 *
 * Adding an automation: its name in AUTOMATION_NAMES and its entry in AUTOMATIONS here (with its
 * switch in SWITCHED_AUTOMATIONS, or settings of its own in OWN_SETTINGS; its tag setting in
 * TAG_SETTINGS if it brings a new one); its handler file (src/automations/<name>.ts, registering
 * with `on` its topics and the admin's preview) and its line in src/automations/registry.ts (the
 * topic table and the app's subscriptions read its topics there); its topic in shopify.app.toml
 * when the topic is new; and its section of
 * the admin's Settings (src/admin-ui/SettingsPage.tsx, src/admin-ui/settings-draft.ts).
 * test/architecture/automation-places.test.ts fails on any other file naming it.
 */
import { z } from "zod";
import { LIMITS, type PastWindowTag } from "../messages/limits";
import type { ReasonCode } from "./reasons";
import { keyPart } from "./key-part";
import type { TemplateDeclaration } from "./template-declaration";

/** The automations, in the admin's order: AUTOMATIONS below has an entry for each. */
export const AUTOMATION_NAMES = ["welcome", "abandoned", "receipt", "shipping", "delivery", "payment_reminder"] as const;
export type AutomationName = (typeof AUTOMATION_NAMES)[number];
/** What a delivery row's `automation` may be: an automation's, or a message sent by hand (admin test, `npm run cli -- send`). */
export type DeliveryAutomation = AutomationName | "manual";
export const DELIVERY_AUTOMATIONS: readonly DeliveryAutomation[] = [...AUTOMATION_NAMES, "manual"];

/** The carrier scans a delivery update is sent for, each switched on by itself. */
export const DELIVERY_STATUSES = ["out_for_delivery", "delivered", "attempted_delivery"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const isDeliveryStatus = (s: string): s is DeliveryStatus => (DELIVERY_STATUSES as readonly string[]).includes(s);

/**
 * The automations switched on and off as a whole (`automations.<name>` in a shop's settings, on
 * until the merchant turns one off). The others are switched by settings of their own, below.
 */
export const SWITCHED_AUTOMATIONS = ["welcome", "abandoned", "receipt", "shipping"] as const satisfies readonly AutomationName[];
export type SwitchedAutomation = (typeof SWITCHED_AUTOMATIONS)[number];

/** The longest discount code Shopify takes. */
export const COUPON_CODE_MAX = 255;

/** A discount code of the shop's: each rule named on its own, so a long code hears about its length. */
export const discountCodeSchema = z
  .string({ error: "must be text" })
  .min(1, "must not be empty")
  .max(COUPON_CODE_MAX, { error: (i) => `is ${String(i.input).length} characters: at most ${COUPON_CODE_MAX}, Shopify's limit for a discount code` })
  .regex(/^[A-Za-z0-9_-]*$/, "letters, digits, - and _ only");

/** The most recalls a checkout gets (one per delay). */
export const MAX_RECALLS = 10;

/**
 * The settings an automation has of its own, each a field of a shop's settings (a group of them,
 * or one value): whose it is; `stored`, what the stored JSON is read with (defaulted, so old rows
 * stay valid; src/store/shop-settings.ts); and `change`, what a change of it is validated with
 * (src/store/settings-change.ts), its messages the merchant's to read. The admin page's types
 * follow them.
 */
const OWN_SETTINGS = {
  /**
   * delivery: updates (fulfillment_events/create), each status on its own; off until the merchant
   * turns one on (a parcel's carrier scans may be many, and not every shop wants them all).
   */
  deliveryUpdates: {
    automation: "delivery",
    stored: z.object(Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, z.boolean().default(false)])) as Record<DeliveryStatus, z.ZodDefault<z.ZodBoolean>>).prefault({}),
    change: z
      .strictObject(Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, z.boolean()])) as Record<DeliveryStatus, z.ZodBoolean>)
      .partial()
      .optional(),
  },
  /**
   * payment_reminder: one reminder to pay an order placed unpaid (bank transfer, cash on delivery,
   * manual payment), `delayMinutes` after it was placed. Off until the merchant turns it on. The
   * default hour gives a buyer who meant to pay at once (a bank transfer made right after
   * ordering) time to do so, while they still remember the order, and keeps the reminder well
   * inside the 24-hour window their order's Send to Messenger click opened, the only time it may
   * go (src/policy/send-decision.ts).
   */
  paymentReminder: {
    automation: "payment_reminder",
    stored: z
      .object({
        enabled: z.boolean().default(false),
        delayMinutes: z.number().int().min(5).max(1380).default(60),
      })
      .prefault({}),
    change: z
      .strictObject({
        enabled: z.boolean(),
        delayMinutes: z.number().int("whole minutes").min(5, "at least 5 minutes").max(1380, "at most 1,380 minutes (23 hours): the reminder may only go within 24 hours"),
      })
      .partial()
      .optional(),
  },
  /**
   * abandoned: what each recall step carries besides its text (its delay is the shop's
   * abandonedDelaysMinutes): `coupons`, a discount code per step in order (null or missing: none),
   * told in the step's text and applied by its checkout button. A coupon for a step the delays do
   * not make is refused (src/store/settings-change.ts), and one left over by fewer delays is unused.
   */
  recallSteps: {
    automation: "abandoned",
    stored: z.object({ coupons: z.array(z.string().nullable()).max(MAX_RECALLS).catch([]).default([]) }).prefault({}),
    change: z
      .strictObject({
        coupons: z
          .array(discountCodeSchema.nullable(), { error: "must be a list: a discount code, or none (null), per recall" })
          .max(MAX_RECALLS, `at most ${MAX_RECALLS}: one per recall`),
      })
      .partial()
      .optional(),
  },
  /** receipt: the topic that sends it, the order placed (the default) or the order paid. */
  receiptTopic: {
    automation: "receipt",
    stored: z.enum(["orders/create", "orders/paid"]).default("orders/create"),
    change: z.enum(["orders/create", "orders/paid"]).optional(),
  },
} satisfies Record<string, { automation: AutomationName; stored: z.ZodType; change: z.ZodType }>;
type OwnSettings = typeof OWN_SETTINGS;
/** The names of the automations' own settings in a shop's settings ("paymentReminder", "receiptTopic"). */
export type OwnSettingsGroup = keyof OwnSettings;
export const OWN_SETTINGS_GROUPS = Object.keys(OWN_SETTINGS) as OwnSettingsGroup[];

const partOf = <P extends "stored" | "change">(part: P) =>
  Object.fromEntries(OWN_SETTINGS_GROUPS.map((g) => [g, OWN_SETTINGS[g][part]])) as { [G in OwnSettingsGroup]: OwnSettings[G][P] };
/** Whose each of them is ("paymentReminder" -> payment_reminder). */
export const OWN_SETTINGS_OWNER = Object.fromEntries(OWN_SETTINGS_GROUPS.map((g) => [g, OWN_SETTINGS[g].automation])) as Record<OwnSettingsGroup, AutomationName>;
/** The stored schema of each, by name, to spread into the shop's settings schema. */
export const OWN_SETTINGS_STORED = partOf("stored");
/** The change schema of each, by name, to spread into the schema of a change. */
export const OWN_SETTINGS_CHANGE = partOf("change");

/** What of a shop's settings decides whether an automation is on (ShopSettings has these). */
export interface SwitchSettings {
  automations: Record<SwitchedAutomation, boolean>;
  deliveryUpdates: Record<DeliveryStatus, boolean>;
  paymentReminder: { enabled: boolean };
}

/**
 * The settings that choose the tag a transactional automation's messages carry past the 24-hour
 * window (`tags.<setting>` in a shop's settings; each entry's `tag.setting` names its own): what
 * each covers, in words, and its flag of `npm run cli -- shop:set`. The flags' names are the
 * README's, which operators' scripts rely on: a new setting's flag may follow them, these stay.
 */
export const TAG_SETTINGS = {
  receipt: { covers: "receipts", short: "receipts", flag: "receipt-tag" },
  shipping: { covers: "shipping notices and delivery updates", short: "shipping", flag: "shipping-tag" },
} as const satisfies Record<string, { covers: string; short: string; flag: string }>;
export type TagSetting = keyof typeof TAG_SETTINGS;
export const TAG_SETTING_NAMES = Object.keys(TAG_SETTINGS) as TagSetting[];

/** What of a shop's settings decides a transactional automation's tag (ShopSettings has these). */
export interface TagSettings {
  tags: Partial<Record<TagSetting, PastWindowTag>>;
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
  tag: { setting: TagSetting; default: PastWindowTag } | null;
  /**
   * Whether its message can carry a bot button (`botButtons.<name>` in a shop's settings); when
   * it cannot, why, if a merchant may well ask (the words a change giving it one is refused with).
   */
  botButton: true | { refused: string } | false;
  /**
   * Whether its message links to the shop's own myshopify domain (the welcome's coupon link): the
   * admin lists that domain under it for JoinChat's URL allow-list before any message has gone.
   */
  linksToShop: boolean;
  /** Whether the shop has it switched on for a message with this delivery key. */
  switchedOn(settings: SwitchSettings, key: string): boolean;
  /** Whether some of its messages are held out on purpose, for Results' comparison (src/policy/holdout.ts). */
  holdout: boolean;
  /** The texts it sends, by template key ("<name>.<part>"), each with its limit, placeholders and defaults (src/automations/templates.ts). */
  templates: Record<string, TemplateDeclaration>;
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
    botButton: true,
    linksToShop: true,
    switchedOn: (s) => s.automations.welcome,
    holdout: false,
    templates: {
      "welcome.text": {
        label: "Message",
        limit: LIMITS.textChars,
        placeholders: ["first_name", "shop_name", "coupon_code", "rewards", "points", "store_credit"],
        en: "Welcome to {{shop_name}}, {{first_name}}! Here is your welcome coupon: {{coupon_code}}.{{rewards}} Tap below to shop with it applied.",
        zh: "{{first_name}}，欢迎来到 {{shop_name}}！这是您的欢迎优惠码：{{coupon_code}}。{{rewards}}点击下方按钮即可使用。",
      },
      "welcome.button": { label: "Button", limit: LIMITS.buttonTitleChars, placeholders: ["shop_name"], en: "Shop with coupon", zh: "使用优惠码购物" },
      // Phrases that land in the welcome text ({{rewards}}), only when the shop set points or store credit.
      "welcome.points": {
        label: "Points phrase ({{rewards}}, only when loyalty points are set in Settings)",
        limit: LIMITS.textChars,
        placeholders: ["points", "shop_name"],
        landsIn: "welcome.text",
        en: "You have earned {{points}} points in our loyalty programme.",
        zh: "您已获得 {{points}} 会员积分。",
      },
      "welcome.store_credit": {
        label: "Store credit phrase ({{rewards}}, only when store credit is set in Settings)",
        limit: LIMITS.textChars,
        placeholders: ["store_credit", "shop_name"],
        landsIn: "welcome.text",
        en: "We added {{store_credit}} of store credit to your account.",
        zh: "我们已在您的账户中存入 {{store_credit}} 的店铺余额。",
      },
    },
    orderTemplates: false,
    reasons: ["window_closed", "promotions_paused", "no_coupon_code"],
    key: (shop: string, customerId: string) => `welcome:${shop}:${keyPart(customerId)}`,
  },
  abandoned: {
    label: "Abandoned checkout",
    promotional: true,
    tag: null,
    botButton: true,
    linksToShop: false,
    switchedOn: (s) => s.automations.abandoned,
    holdout: true,
    templates: {
      // Each recall step has its own text: the first, the second, the third (and any later step).
      "abandoned.text": {
        label: "Message of the first recall",
        limit: LIMITS.textChars,
        placeholders: ["first_name", "shop_name", "coupon_code", "coupon_phrase"],
        en: "{{first_name}}, you left something in your cart at {{shop_name}}. It is still waiting for you.{{coupon_phrase}}",
        zh: "{{first_name}}，您在 {{shop_name}} 的购物车里还有商品，随时等您回来完成订单。{{coupon_phrase}}",
      },
      "abandoned.text_2": {
        label: "Message of the second recall",
        limit: LIMITS.textChars,
        placeholders: ["first_name", "shop_name", "coupon_code", "coupon_phrase"],
        en: "{{first_name}}, a quick reminder: your cart at {{shop_name}} is saved, and you can finish your order in a tap.{{coupon_phrase}}",
        zh: "{{first_name}}，温馨提醒：您在 {{shop_name}} 的购物车已为您保存，点击即可完成订单。{{coupon_phrase}}",
      },
      "abandoned.text_3": {
        label: "Message of the last recall (the third, and any after it)",
        limit: LIMITS.textChars,
        placeholders: ["first_name", "shop_name", "coupon_code", "coupon_phrase"],
        en: "{{first_name}}, this is our last reminder: your cart at {{shop_name}} will not be held much longer.{{coupon_phrase}}",
        zh: "{{first_name}}，这是最后一次提醒：您在 {{shop_name}} 的购物车不会保留太久了。{{coupon_phrase}}",
      },
      // Lands in a step's text ({{coupon_phrase}}) only when the step carries a coupon.
      "abandoned.coupon_phrase": {
        label: "Coupon phrase ({{coupon_phrase}}, only on a recall with a coupon set in Settings)",
        limit: LIMITS.textChars,
        placeholders: ["coupon_code", "shop_name"],
        landsIn: ["abandoned.text", "abandoned.text_2", "abandoned.text_3"],
        fills: "coupon_phrase",
        en: "Use code {{coupon_code}}: it is applied when you tap below.",
        zh: "优惠码 {{coupon_code}} 将在您点击下方按钮时自动使用。",
      },
      "abandoned.button": { label: "Button", limit: LIMITS.buttonTitleChars, placeholders: ["shop_name"], en: "Complete order", zh: "完成订单" },
      "abandoned.item_subtitle": {
        label: "Line under each item",
        limit: LIMITS.elementSubtitleChars,
        placeholders: ["quantity", "price", "currency", "shop_name"],
        en: "{{quantity}} × {{price}} {{currency}}",
        zh: "{{quantity}} × {{price}} {{currency}}",
      },
      // Above the first item's line, in the same subtitle: the builder gives it what that line leaves.
      "abandoned.greeting": {
        label: "Greeting above the first item (carts of several items)",
        limit: LIMITS.elementSubtitleChars,
        placeholders: ["first_name", "shop_name"],
        en: "{{first_name}}, you left these in your cart at {{shop_name}}.",
        zh: "{{first_name}}，您在 {{shop_name}} 的购物车里还有这些商品。",
      },
      "abandoned.greeting_2": {
        label: "Greeting above the first item, second recall",
        limit: LIMITS.elementSubtitleChars,
        placeholders: ["first_name", "shop_name"],
        en: "{{first_name}}, your cart at {{shop_name}} is still saved.",
        zh: "{{first_name}}，您在 {{shop_name}} 的购物车仍为您保留着。",
      },
      "abandoned.greeting_3": {
        label: "Greeting above the first item, last recall",
        limit: LIMITS.elementSubtitleChars,
        placeholders: ["first_name", "shop_name"],
        en: "{{first_name}}, last call for your cart at {{shop_name}}.",
        zh: "{{first_name}}，最后一次提醒：您在 {{shop_name}} 的购物车。",
      },
      // In place of the greeting on a recall with a coupon: the code itself may not fit the 80 characters.
      "abandoned.coupon_greeting": {
        label: "Greeting above the first item on a recall with a coupon (carts of several items)",
        limit: LIMITS.elementSubtitleChars,
        placeholders: ["first_name", "shop_name"],
        en: "{{first_name}}, your discount is applied at checkout.",
        zh: "{{first_name}}，结账时将自动为您使用优惠。",
      },
      "abandoned.more_items": {
        label: "Last card of a cart of more than 10 items",
        limit: LIMITS.elementTitleChars,
        placeholders: ["count", "total", "currency", "shop_name"],
        en: "+ {{count}} more items ({{total}} {{currency}})",
        zh: "另有 {{count}} 件商品（{{total}} {{currency}}）",
      },
    },
    orderTemplates: false,
    reasons: ["window_closed", "promotions_paused", "holdout", "superseded", "order_placed"],
    key: (shop: string, checkoutToken: string, step: number) => `abandoned:${shop}:${keyPart(checkoutToken)}:${step}`,
    parseKey: recallOfKey,
  },
  receipt: {
    label: "Order receipt",
    promotional: false,
    tag: { setting: "receipt", default: "POST_PURCHASE_UPDATE" },
    // JoinChat's receipt template has no buttons.
    botButton: { refused: "a receipt cannot carry a button: JoinChat's receipt template has none" },
    linksToShop: false,
    switchedOn: (s) => s.automations.receipt,
    holdout: false,
    // JoinChat's receipt template: its texts are the order's own.
    templates: {},
    orderTemplates: true,
    reasons: ["outside_window"],
    key: (shop: string, orderId: string) => `receipt:${shop}:${keyPart(orderId)}`,
  },
  shipping: {
    label: "Shipping notice",
    promotional: false,
    tag: { setting: "shipping", default: "POST_PURCHASE_UPDATE" },
    botButton: true,
    linksToShop: false,
    switchedOn: (s) => s.automations.shipping,
    holdout: false,
    templates: {
      "shipping.text": {
        label: "Message",
        limit: LIMITS.textChars,
        placeholders: ["first_name", "shop_name", "order_name", "carrier", "carrier_phrase", "tracking_number", "tracking_phrase"],
        en: "Good news, {{first_name}}: your order {{order_name}} has shipped{{carrier_phrase}}.{{tracking_phrase}}",
        zh: "{{first_name}}，您的订单 {{order_name}} 已发货{{carrier_phrase}}。{{tracking_phrase}}",
      },
      "shipping.button": { label: "Tracking button", limit: LIMITS.buttonTitleChars, placeholders: ["shop_name"], en: "Track package", zh: "查看物流" },
    },
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
    botButton: false,
    linksToShop: false,
    switchedOn: (s, key) => {
      const status = deliveryStatusOfKey(key);
      return status === null || s.deliveryUpdates[status as DeliveryStatus] !== false;
    },
    holdout: false,
    templates: {
      "delivery.out_for_delivery": {
        label: "Out for delivery",
        limit: LIMITS.textChars,
        placeholders: ["shop_name"],
        en: "Good news: your parcel from {{shop_name}} is out for delivery and should reach you today.",
        zh: "好消息：您在 {{shop_name}} 的包裹正在派送中，预计今天送达。",
      },
      "delivery.delivered": {
        label: "Delivered",
        limit: LIMITS.textChars,
        placeholders: ["shop_name"],
        en: "Your parcel from {{shop_name}} has been delivered. Enjoy your order!",
        zh: "您在 {{shop_name}} 的包裹已送达，祝您购物愉快！",
      },
      "delivery.attempted_delivery": {
        label: "Delivery attempt failed",
        limit: LIMITS.textChars,
        placeholders: ["shop_name"],
        en: "The carrier tried to deliver your parcel from {{shop_name}} but could not. Check the tracking page to arrange another delivery.",
        zh: "快递员尝试派送您在 {{shop_name}} 的包裹，但未能成功。请查看物流信息安排再次派送。",
      },
      "delivery.button": {
        label: "Tracking button (when there is a tracking link)",
        limit: LIMITS.buttonTitleChars,
        placeholders: ["shop_name"],
        en: "Track package",
        zh: "查看物流",
      },
    },
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
    botButton: false,
    linksToShop: false,
    switchedOn: (s) => s.paymentReminder.enabled,
    holdout: false,
    templates: {
      "payment_reminder.text": {
        label: "Message",
        limit: LIMITS.textChars,
        placeholders: ["first_name", "shop_name", "order_name", "total"],
        en: "{{first_name}}, your order {{order_name}} at {{shop_name}} is still waiting for payment ({{total}}). Tap below to see how to pay, and we will get it ready for you.",
        zh: "{{first_name}}，您在 {{shop_name}} 的订单 {{order_name}} 尚未付款（{{total}}）。点击下方查看付款方式，付款后我们会尽快为您备货。",
      },
      "payment_reminder.button": {
        label: "Payment button (opens the order status page)",
        limit: LIMITS.buttonTitleChars,
        placeholders: ["shop_name"],
        en: "Complete payment",
        zh: "去付款",
      },
    },
    orderTemplates: true,
    reasons: ["window_closed", "no_payment_needed", "no_status_page"],
    /** One payment reminder per order, whatever topics or repeats arrive. */
    key: (shop: string, orderId: string) => `payment-reminder:${shop}:${keyPart(orderId)}`,
  },
} as const satisfies Record<AutomationName, Entry & { key: (shop: string, ...parts: never[]) => string }>;

/** The automations whose message can carry a bot button, in the admin's order. */
export type BotButtonAutomation = { [A in AutomationName]: (typeof AUTOMATIONS)[A]["botButton"] extends true ? A : never }[AutomationName];
export const BOT_BUTTON_AUTOMATIONS = AUTOMATION_NAMES.filter((a): a is BotButtonAutomation => AUTOMATIONS[a].botButton === true);
/** The automations that cannot carry one but are named in a change, refused with why, rather than as an unknown key. */
export const BOT_BUTTON_REFUSALS = Object.fromEntries(
  AUTOMATION_NAMES.flatMap((a) => {
    const b: Entry["botButton"] = AUTOMATIONS[a].botButton;
    return typeof b === "object" ? [[a, b.refused]] : [];
  }),
) as Partial<Record<AutomationName, string>>;

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

/** The tag a tag setting gives its automations' messages past the window: the shop's choice, or their default (they share one). */
export function tagOf(setting: TagSetting, settings: TagSettings): PastWindowTag {
  const first = AUTOMATION_NAMES.find((a) => (AUTOMATIONS[a] as Entry).tag?.setting === setting)!;
  return policyFor(first, settings).tag!;
}
