/** Every webhook topic the app subscribes to (shopify.app.toml declares the same), and what it is for. */
export const AUTOMATION_TOPICS = [
  "customers/create",
  "checkouts/create",
  "checkouts/update",
  "orders/create",
  "orders/paid",
  // Cancels an unpaid order's payment reminder.
  "orders/cancelled",
  "fulfillments/create",
  "fulfillments/update",
  // A carrier's scans: out for delivery, delivered, a failed attempt.
  "fulfillment_events/create",
] as const;

export const LIFECYCLE_TOPICS = ["app/uninstalled", "app/scopes_update"] as const;

/** The mandatory compliance topics every public app must answer. */
export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export const KNOWN_TOPICS = [...AUTOMATION_TOPICS, ...LIFECYCLE_TOPICS, ...COMPLIANCE_TOPICS] as const;
export type KnownTopic = (typeof KNOWN_TOPICS)[number];

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
