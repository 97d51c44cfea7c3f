import { AUTOMATION_TOPICS, type AutomationTopic } from "../automations/registry";

export const LIFECYCLE_TOPICS = ["app/uninstalled", "app/scopes_update"] as const;

/** The mandatory compliance topics every public app must answer. */
export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

/**
 * Every webhook topic the app subscribes to (shopify.app.toml declares the same): the ones its
 * automations answer, each declared by its handler file's `on` (src/automations/registry.ts), and
 * the app's own.
 */
export type KnownTopic = AutomationTopic | (typeof LIFECYCLE_TOPICS)[number] | (typeof COMPLIANCE_TOPICS)[number];
export const KNOWN_TOPICS: readonly KnownTopic[] = [...AUTOMATION_TOPICS, ...LIFECYCLE_TOPICS, ...COMPLIANCE_TOPICS];

const known = new Set<string>(KNOWN_TOPICS);
export function isKnownTopic(topic: string): topic is KnownTopic {
  return known.has(topic);
}

/** A Shopify id as a string, whatever JSON type it came in (see shopify/json.ts). */
export function idString(v: unknown): string | null {
  return typeof v === "string" || typeof v === "number" || typeof v === "bigint" ? String(v) : null;
}

/** The customer a payload (parsed by parseShopifyJson) is about, by topic, when it names one. */
export function customerIdOf(topic: string, payload: Record<string, unknown>): string | null {
  const id = idString;
  if (topic === "customers/create") return id(payload.id);
  if (topic === "customers/redact" || topic === "customers/data_request") return id((payload.customer as { id?: unknown } | null)?.id);
  const customer = payload.customer as { id?: unknown } | null | undefined;
  return customer ? id(customer.id) : null;
}
