import { LIMITS } from "../messages/limits";
import { renderFitted } from "../messages/text";
import type { AutomationName } from "../policy/automation-names";
import { shopDisplayName, type ShopRecord } from "../store/shops";

export { shopDisplayName };

/**
 * The texts each automation sends, per language, with {{placeholders}}. A shop overrides any of
 * them in its settings (`templates["welcome.text"]`); builders then fit them to the API's limits.
 */
export const DEFAULT_TEMPLATES = {
  en: {
    "welcome.text": "Welcome to {{shop_name}}, {{first_name}}! Here is your welcome coupon: {{coupon_code}}.{{rewards}} Tap below to shop with it applied.",
    "welcome.button": "Shop with coupon",
    "welcome.points": "You have earned {{points}} points in our loyalty programme.",
    "welcome.store_credit": "We added {{store_credit}} of store credit to your account.",
    "abandoned.text": "{{first_name}}, you left something in your cart at {{shop_name}}. It is still waiting for you.",
    "abandoned.button": "Complete order",
    "abandoned.item_subtitle": "{{quantity}} × {{price}} {{currency}}",
    "abandoned.greeting": "{{first_name}}, you left these in your cart at {{shop_name}}.",
    "abandoned.more_items": "+ {{count}} more items ({{total}} {{currency}})",
    "shipping.text": "Good news, {{first_name}}: your order {{order_name}} has shipped{{carrier_phrase}}.{{tracking_phrase}}",
    "shipping.button": "Track package",
    "delivery.out_for_delivery": "Good news: your parcel from {{shop_name}} is out for delivery and should reach you today.",
    "delivery.delivered": "Your parcel from {{shop_name}} has been delivered. Enjoy your order!",
    "delivery.attempted_delivery": "The carrier tried to deliver your parcel from {{shop_name}} but could not. Check the tracking page to arrange another delivery.",
    "delivery.button": "Track package",
    "payment_reminder.text":
      "{{first_name}}, your order {{order_name}} at {{shop_name}} is still waiting for payment ({{total}}). Tap below to see how to pay, and we will get it ready for you.",
    "payment_reminder.button": "Complete payment",
  },
  zh: {
    "welcome.text": "{{first_name}}，欢迎来到 {{shop_name}}！这是您的欢迎优惠码：{{coupon_code}}。{{rewards}}点击下方按钮即可使用。",
    "welcome.button": "使用优惠码购物",
    "welcome.points": "您已获得 {{points}} 会员积分。",
    "welcome.store_credit": "我们已在您的账户中存入 {{store_credit}} 的店铺余额。",
    "abandoned.text": "{{first_name}}，您在 {{shop_name}} 的购物车里还有商品，随时等您回来完成订单。",
    "abandoned.button": "完成订单",
    "abandoned.item_subtitle": "{{quantity}} × {{price}} {{currency}}",
    "abandoned.greeting": "{{first_name}}，您在 {{shop_name}} 的购物车里还有这些商品。",
    "abandoned.more_items": "另有 {{count}} 件商品（{{total}} {{currency}}）",
    "shipping.text": "{{first_name}}，您的订单 {{order_name}} 已发货{{carrier_phrase}}。{{tracking_phrase}}",
    "shipping.button": "查看物流",
    "delivery.out_for_delivery": "好消息：您在 {{shop_name}} 的包裹正在派送中，预计今天送达。",
    "delivery.delivered": "您在 {{shop_name}} 的包裹已送达，祝您购物愉快！",
    "delivery.attempted_delivery": "快递员尝试派送您在 {{shop_name}} 的包裹，但未能成功。请查看物流信息安排再次派送。",
    "delivery.button": "查看物流",
    "payment_reminder.text": "{{first_name}}，您在 {{shop_name}} 的订单 {{order_name}} 尚未付款（{{total}}）。点击下方查看付款方式，付款后我们会尽快为您备货。",
    "payment_reminder.button": "去付款",
  },
} as const;

export type TemplateKey = keyof (typeof DEFAULT_TEMPLATES)["en"];
export const TEMPLATE_KEYS = Object.keys(DEFAULT_TEMPLATES.en) as TemplateKey[];

/** The automation whose message a template is part of ("shipping.button" -> shipping). */
export const automationOfTemplate = (key: TemplateKey) => key.split(".")[0] as AutomationName;

/** Where each template lands in the message, and so the API limit it is fitted to. */
export const TEMPLATE_LIMITS: Record<TemplateKey, number> = {
  "welcome.text": LIMITS.textChars,
  "welcome.button": LIMITS.buttonTitleChars,
  // Phrases that land in the welcome text ({{rewards}}), only when the shop set points or store credit.
  "welcome.points": LIMITS.textChars,
  "welcome.store_credit": LIMITS.textChars,
  "abandoned.text": LIMITS.textChars,
  "abandoned.button": LIMITS.buttonTitleChars,
  "abandoned.item_subtitle": LIMITS.elementSubtitleChars,
  // Above the first item's line, in the same subtitle: the builder gives it what that line leaves.
  "abandoned.greeting": LIMITS.elementSubtitleChars,
  "abandoned.more_items": LIMITS.elementTitleChars,
  "shipping.text": LIMITS.textChars,
  "shipping.button": LIMITS.buttonTitleChars,
  "delivery.out_for_delivery": LIMITS.textChars,
  "delivery.delivered": LIMITS.textChars,
  "delivery.attempted_delivery": LIMITS.textChars,
  "delivery.button": LIMITS.buttonTitleChars,
  "payment_reminder.text": LIMITS.textChars,
  "payment_reminder.button": LIMITS.buttonTitleChars,
};

/** The shop's own texts after a change: a text replaces its key's, null restores the default (the key goes). */
export function mergeTemplates(current: Record<string, string>, change: Partial<Record<string, string | null | undefined>>): Record<string, string> {
  const next = { ...current };
  for (const [key, text] of Object.entries(change)) {
    if (text === null) delete next[key];
    else if (text !== undefined) next[key] = text;
  }
  return next;
}

/**
 * Values a template may carry that are the shop's, the customer's or a carrier's free text: cut
 * first when a text is too long. Codes and numbers (coupon, order, tracking, quantity, price)
 * are never among them, so they reach the customer whole.
 */
const SHRINKABLE = ["first_name", "shop_name", "carrier", "carrier_phrase"] as const;

/** The template text for `key` in the shop's language (its own version first), rendered within `max` characters (the limit of the field it lands in). */
export function renderText(shop: ShopRecord, key: TemplateKey, values: Record<string, string | undefined>, max: number = TEMPLATE_LIMITS[key]): string {
  const chosen = shop.settings.templates[key] ?? DEFAULT_TEMPLATES[shop.settings.language][key];
  const squash = (v: string | undefined) => v?.replace(/\s+/g, " ");
  const firstName = values.first_name?.trim();
  const template = firstName ? chosen : withoutFirstName(chosen);
  const all: Record<string, string | undefined> = { shop_name: shopDisplayName(shop), ...values };
  return renderFitted(template.replace(/\s+/g, " "), Object.fromEntries(Object.entries(all).map(([k, v]) => [k, squash(v)])), max, SHRINKABLE)
    .replace(/\s+/g, " ")
    .trim();
}

const FIRST_NAME = String.raw`\{\{\s*first_name\s*\}\}`;

/**
 * The template for a customer whose first name is unknown: the name goes with the comma that
 * sets it off ("Good news, {{first_name}}: ..." reads "Good news: ...", "{{first_name}}，您的订单"
 * reads "您的订单"), rather than a stand-in word, and a sentence it began starts with a capital.
 */
export function withoutFirstName(template: string): string {
  return template
    .replace(new RegExp(String.raw`\s*[,，]\s*${FIRST_NAME}`, "g"), "")
    .replace(new RegExp(String.raw`${FIRST_NAME}\s*[,，:：]?\s*`, "g"), "")
    .replace(/^(\s*)([a-z])/, (_, space: string, c: string) => space + c.toUpperCase());
}
