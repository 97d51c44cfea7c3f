import { LIMITS } from "../messages/limits";
import type { Preview } from "../admin-views";
import { policyFor, type AutomationName } from "../policy/automations";
import type { ShopRecord } from "../store/shops";
import { registrationOf } from "./registry";
import { checkedLength, longestValues, templateProblem } from "./template-check";
import { automationOfTemplate, TEMPLATE_LIMITS, TEMPLATE_PLACEHOLDERS, type TemplateKey } from "./templates";

export { automationOfTemplate, TEMPLATE_PLACEHOLDERS };

/** The preview of `automation` for `shop`, with unsaved template texts and language applied. */
export function previewMessage(
  shop: ShopRecord,
  automation: AutomationName,
  o: { templates?: Partial<Record<TemplateKey, string>>; language?: ShopRecord["settings"]["language"]; step?: number } = {},
): Preview {
  const s: ShopRecord = {
    ...shop,
    settings: { ...shop.settings, language: o.language ?? shop.settings.language, templates: { ...shop.settings.templates, ...o.templates } },
  };
  // The automation's own message for its sample event (its handler file's `preview`); the checks are the same for all.
  const { message, alternatives } = registrationOf(automation).preview(s, o.step);
  const keys = (Object.keys(TEMPLATE_LIMITS) as TemplateKey[]).filter((k) => automationOfTemplate(k) === automation);
  const longest = longestValues(s);
  return {
    message,
    alternatives,
    promotional: policyFor(automation, s.settings).promotional,
    tag: s.settings.pastWindow === "send_tagged" ? (policyFor(automation, s.settings).tag ?? null) : null,
    // Counted as saving checks it: with the longest values, not the sample's.
    fields: keys.map((key) => ({ key, length: checkedLength(s, key, longest), limit: TEMPLATE_LIMITS[key], problem: templateProblem(s, key, longest) })),
    buttons: "buttons" in message && message.buttons ? { used: message.buttons.length, limit: LIMITS.buttonsPerButtonMessage.max } : null,
  };
}
