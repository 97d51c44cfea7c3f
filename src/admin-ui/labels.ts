// Names the merchant reads, shared by pages that load apart (each page is its own chunk).
import type { AutomationView } from "./types";

/** What the delivery log calls a message sent by hand (a test message, `npm run cli -- send`): no automation of the catalog. */
export const MANUAL_LABEL = "Test message";

/** An automation by the one name its catalog entry gives it (served with the shop), on every page alike. */
export const labelOf = (automations: readonly AutomationView[], name: string): string =>
  name === "manual" ? MANUAL_LABEL : (automations.find((a) => a.name === name)?.label ?? name);

/** Whom a subscriber is, as far as the app knows: their email, phone or Shopify customer id, else an anonymous visitor. */
export const subscriberLabel = (s: { email: string | null; phone: string | null; customerId: string | null }): string =>
  s.email ?? s.phone ?? (s.customerId ? `Customer ${s.customerId}` : "Anonymous visitor");
