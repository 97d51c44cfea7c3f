import { normalizeEmail, normalizePhone } from "../store/links";
import type { CustomerRef } from "../store/compliance";
import { customerIdOf, idString } from "./topics";

/** What a stored webhook payload says about whom it concerns, as customers/redact needs it. */
export interface PayloadTraces {
  customerId: string | null;
  /** Every email and phone anywhere in the payload (the customer's, the order's, each address's), normalized. */
  emails: Set<string>;
  phones: Set<string>;
  /** The order an orders/* payload is, or a fulfillment belongs to. */
  orderId: string | null;
  /** The subjects messages about this payload are keyed by (src/automations: checkout:, order:). */
  subjectKeys: string[];
}

const EMAIL_KEYS = new Set(["email", "contact_email"]);
const PHONE_KEYS = new Set(["phone", "sms_marketing_phone"]);

/** Walks the whole payload: a guest checkout's contact sits at its root, an address's phone deep inside. */
function collect(value: unknown, emails: Set<string>, phones: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((v) => collect(v, emails, phones));
  if (value === null || typeof value !== "object") return;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string" && v.trim() !== "") {
      if (EMAIL_KEYS.has(k)) emails.add(normalizeEmail(v));
      else if (PHONE_KEYS.has(k)) phones.add(normalizePhone(v));
    } else collect(v, emails, phones);
  }
}

export function tracesOf(topic: string, payload: Record<string, unknown>): PayloadTraces {
  const emails = new Set<string>();
  const phones = new Set<string>();
  collect(payload, emails, phones);
  const orderId = topic.startsWith("orders/") ? idString(payload.id) : topic.startsWith("fulfillments/") ? idString(payload.order_id) : null;
  const token = topic.startsWith("checkouts/") && typeof payload.token === "string" ? payload.token : null;
  const subjectKeys = [...(token ? [`checkout:${token}`] : []), ...(orderId ? [`order:${orderId}`] : [])];
  return { customerId: customerIdOf(topic, payload), emails, phones, orderId, subjectKeys };
}

/** Whether the payload names the customer: by id, or (a guest) by their email or phone. */
export function mentions(t: PayloadTraces, c: CustomerRef): boolean {
  return (
    (c.id !== null && t.customerId === c.id) ||
    (c.email !== null && t.emails.has(normalizeEmail(c.email))) ||
    (c.phone !== null && t.phones.has(normalizePhone(c.phone)))
  );
}
