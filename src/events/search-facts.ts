/**
 * What the merchant may find an event's messages by in Deliveries: the order's name and the
 * customer's names and email, as the payload carries them, lowercased. Read loosely from the raw
 * payload (every field optional): a payload without them only makes its messages harder to find.
 */
export interface SearchFacts {
  /** "#1001"; a fulfillment's "#1001.1" is its order's "#1001". */
  orderName: string | null;
  /** Names and emails, space-separated. */
  words: string;
}

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim().toLowerCase() : null);
const record = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const nameOf = (p: Record<string, unknown>) => [text(p.first_name), text(p.last_name)].filter(Boolean).join(" ") || text(p.name);

export function searchFactsOf(topic: string, payload: Record<string, unknown>): SearchFacts {
  const customer = record(payload.customer);
  const people = topic.startsWith("customers/") ? [payload] : [customer, record(payload.billing_address), record(payload.shipping_address), record(payload.destination)];
  const words = new Set<string>();
  for (const p of people) {
    const name = nameOf(p);
    if (name) words.add(name);
  }
  for (const email of [payload.email, payload.contact_email, customer.email]) {
    const e = text(email);
    if (e) words.add(e);
  }
  const name = text(payload.name);
  const orderName = topic.startsWith("orders/") ? name : topic.startsWith("fulfillments/") && name ? name.replace(/\.\d+$/, "") : null;
  return { orderName, words: [...words].join(" ") };
}
