/**
 * Every automation's registration, by its catalog name: the one list of handler files. The topic
 * table (src/events/handlers.ts), the topics the app subscribes to (src/events/topics.ts) and the
 * admin's preview (src/automations/preview.ts) read it, so none names an automation or its topics. Keyed by name, so an automation of the catalog without a handler
 * does not compile, and one filed under another's name does not load.
 */
import type { AutomationName } from "../policy/automations";
import type { Registration } from "./contract";
import { abandonedCheckoutRegistration } from "./abandoned-checkout";
import { deliveryUpdateRegistration } from "./delivery-update";
import { paymentReminderRegistration } from "./payment-reminder";
import { orderReceiptRegistration } from "./receipt";
import { shippingNoticeRegistration } from "./shipping";
import { welcomeCouponRegistration } from "./welcome-coupon";

const BY_NAME = {
  welcome: welcomeCouponRegistration,
  abandoned: abandonedCheckoutRegistration,
  receipt: orderReceiptRegistration,
  shipping: shippingNoticeRegistration,
  delivery: deliveryUpdateRegistration,
  payment_reminder: paymentReminderRegistration,
} satisfies Record<AutomationName, { automation: AutomationName }>;

for (const [name, r] of Object.entries(BY_NAME)) if (r.automation !== name) throw new Error(`the ${r.automation} registration is filed under ${name}`);

// Each reads its own payload type; the topic table hands each the value its own schema read.
export const REGISTRATIONS = Object.values(BY_NAME) as Registration<unknown>[];

/** A webhook topic some automation answers (as its handler file's `on` declares it). */
export type AutomationTopic = (typeof BY_NAME)[keyof typeof BY_NAME]["topics"][number];
/** Every topic the automations answer, each once, in the registry's order. */
export const AUTOMATION_TOPICS: readonly AutomationTopic[] = [...new Set(Object.values(BY_NAME).flatMap((r) => r.topics))];

export const registrationOf = (automation: AutomationName): Registration<unknown> => REGISTRATIONS.find((r) => r.automation === automation)!;
