import crypto from "node:crypto";
import { normalizeEmail, normalizePhone } from "../store/links";
import type { CustomerRef } from "../store/compliance";
import { customerIdOf, idString } from "./topics";
import { joinchatUuidOf } from "../recipients/resolver";
import { walkJson } from "../shopify/json";

/** What a webhook payload says about whom it concerns, as customers/redact needs it. */
export interface PayloadTraces {
  customerId: string | null;
  /** Every email and phone anywhere in the payload (the customer's, the order's, each address's), normalized. */
  emails: Set<string>;
  phones: Set<string>;
  /** The order an orders/* payload is, or a fulfillment (or a fulfillment's event) belongs to. */
  orderId: string | null;
  /** The JoinChat uuid the storefront wrote into the cart (note_attributes joinchat_uuid): the browser's, not a person's. */
  uuids: Set<string>;
}

const EMAIL_KEYS = new Set(["email", "contact_email"]);
const PHONE_KEYS = new Set(["phone", "sms_marketing_phone"]);

/** Walks the whole payload: a guest checkout's contact sits at its root, an address's phone deep inside. */
function collect(value: unknown, emails: Set<string>, phones: Set<string>): void {
  walkJson(value, (k, v) => {
    if (typeof v !== "string" || v.trim() === "") return;
    if (EMAIL_KEYS.has(k)) emails.add(normalizeEmail(v));
    else if (PHONE_KEYS.has(k)) phones.add(normalizePhone(v));
  });
}

export function tracesOf(topic: string, payload: Record<string, unknown>): PayloadTraces {
  const emails = new Set<string>();
  const phones = new Set<string>();
  collect(payload, emails, phones);
  const ofFulfillment = topic.startsWith("fulfillments/") || topic.startsWith("fulfillment_events/");
  const orderId = topic.startsWith("orders/") ? idString(payload.id) : ofFulfillment ? idString(payload.order_id) : null;
  const uuids = new Set<string>();
  const uuid = joinchatUuidOf(Array.isArray(payload.note_attributes) ? (payload.note_attributes as { name: string; value?: unknown }[]) : null);
  if (uuid) uuids.add(uuid);
  return { customerId: customerIdOf(topic, payload), emails, phones, orderId, uuids };
}

/**
 * A keyed hash of an email or phone: enough to find the events that carry it (WebhookEvent.traces)
 * and to recognise a redacted customer, without keeping the value itself. Keyed with the app's
 * secret, so a list of known emails cannot be hashed and looked up without it.
 */
function digest(key: string, kind: "e" | "p", value: string): string {
  return `${kind}:${crypto.createHmac("sha256", key).update(`${kind}:${value}`).digest("hex").slice(0, 24)}`;
}

/** WebhookEvent.traces of a payload: " e:<hash> p:<hash> o:<order id> u:<cart uuid> ", each token between spaces. */
export function traceColumn(t: PayloadTraces, key: string): string {
  const tokens = [
    ...[...t.emails].map((e) => digest(key, "e", e)),
    ...[...t.phones].map((p) => digest(key, "p", p)),
    ...(t.orderId ? [`o:${t.orderId}`] : []),
    ...[...t.uuids].map((u) => `u:${u}`),
  ];
  return ` ${tokens.join(" ")} `;
}

/** The keys a customer is redacted by: their id, and the hashes their email and phone leave in traces. */
export function identityKeys(c: CustomerRef, key: string): string[] {
  return [...(c.id ? [`c:${c.id}`] : []), ...(c.email ? [digest(key, "e", normalizeEmail(c.email))] : []), ...(c.phone ? [digest(key, "p", normalizePhone(c.phone))] : [])];
}

/** The keys a payload would be recognised by as a redacted customer's (the same kinds as identityKeys). */
export function payloadKeys(t: PayloadTraces, key: string): string[] {
  return [...(t.customerId ? [`c:${t.customerId}`] : []), ...[...t.emails].map((e) => digest(key, "e", e)), ...[...t.phones].map((p) => digest(key, "p", p))];
}
