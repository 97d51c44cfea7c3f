/**
 * The names of the automations, in the admin's order: the catalog (src/policy/automations.ts)
 * has one entry for each. Apart from it so the admin's browser bundle can read them: the catalog's
 * key formats use Node's crypto.
 */
export const AUTOMATION_NAMES = ["welcome", "abandoned", "receipt", "shipping", "delivery", "payment_reminder"] as const;
export type AutomationName = (typeof AUTOMATION_NAMES)[number];
/** What a delivery row's `automation` may be: an automation's, or a message sent by hand (admin test, `npm run cli -- send`). */
export type DeliveryAutomation = AutomationName | "manual";
export const DELIVERY_AUTOMATIONS: readonly DeliveryAutomation[] = [...AUTOMATION_NAMES, "manual"];
