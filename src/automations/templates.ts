import { renderFitted } from "../messages/text";
import { AUTOMATION_NAMES, AUTOMATIONS, type AutomationName } from "../policy/automations";
import { TEMPLATE_LANGUAGES, type TemplateDeclaration, type TemplateLanguage } from "../policy/template-declaration";
import { shopDisplayName, type ShopRecord } from "../store/shops";

export { shopDisplayName };

type Catalog = typeof AUTOMATIONS;
/** A template's key: "<automation>.<part>", as its automation's catalog entry declares it. */
export type TemplateKey = { [A in AutomationName]: keyof Catalog[A]["templates"] & string }[AutomationName];

/** Every template, in the admin's order, as the catalog declares it (src/policy/automations.ts). */
const DECLARED = new Map<TemplateKey, { automation: AutomationName; template: TemplateDeclaration }>(
  AUTOMATION_NAMES.flatMap((automation) =>
    Object.entries(AUTOMATIONS[automation].templates as Record<string, TemplateDeclaration>).map(([key, template]) => [key as TemplateKey, { automation, template }] as const),
  ),
);
const byKey = <T>(value: (t: TemplateDeclaration) => T) => Object.fromEntries([...DECLARED].map(([key, d]) => [key, value(d.template)])) as Record<TemplateKey, T>;

export const TEMPLATE_KEYS = [...DECLARED.keys()];

/**
 * The texts each automation sends, per language, with {{placeholders}}. A shop overrides any of
 * them in its settings (`templates["welcome.text"]`); builders then fit them to the API's limits.
 */
export const DEFAULT_TEMPLATES = Object.fromEntries(TEMPLATE_LANGUAGES.map((l) => [l, byKey((t) => t[l])])) as Record<TemplateLanguage, Record<TemplateKey, string>>;

/** Where each template lands in the message, and so the API limit it is fitted to. */
export const TEMPLATE_LIMITS = byKey((t) => t.limit);

/** The placeholders each template may use: what its builder passes in (and the shop's name). */
export const TEMPLATE_PLACEHOLDERS = byKey((t) => [...t.placeholders]);

/** How the admin names each template: by where it shows in the message. */
export const TEMPLATE_LABELS = byKey((t) => t.label);

/** The templates a phrase lands in ("welcome.points" -> ["welcome.text"]); none for a template that is no phrase. */
export const landsIn = (key: TemplateKey): TemplateKey[] => [DECLARED.get(key)?.template.landsIn ?? []].flat() as TemplateKey[];

/** The phrases that fill a placeholder of their own ("abandoned.coupon_phrase" fills {{coupon_phrase}}), by that placeholder. */
export const PHRASES_BY_PLACEHOLDER = new Map([...DECLARED].flatMap(([key, d]) => (d.template.fills ? [[d.template.fills, key] as const] : [])));

/** The automation whose message a template is part of ("shipping.button" -> shipping). */
export const automationOfTemplate = (key: TemplateKey) => DECLARED.get(key)!.automation;

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
