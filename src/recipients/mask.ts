import type { Recipient } from "../messages/schema";

/** Enough of a value to tell recipients apart in a log, not enough to contact them. */
function maskValue(value: string, keep: number): string {
  if (value.length <= keep * 2 + 1) return `${value.slice(0, 1)}…`;
  return `${value.slice(0, keep)}…${value.slice(-2)}`;
}

/** A recipient as the admin shows it: kind and a masked value ("uuid:jc_8f…42", "email:al…@example.com"). */
export function maskRecipient(recipient: Recipient): string {
  const [kind, value] = Object.entries(recipient).find(([, v]) => typeof v === "string") as [string, string];
  if (kind === "email" && value.includes("@")) {
    const [local, domain] = [value.slice(0, value.lastIndexOf("@")), value.slice(value.lastIndexOf("@") + 1)];
    return `email:${local.slice(0, 2)}…@${domain}`;
  }
  return `${kind}:${maskValue(value, kind === "phone" ? 4 : 5)}`;
}

/** A delivery row's stored recipient (JSON), masked; null for a row of a message never made, which has none ("{}"). */
export function maskStoredRecipient(stored: string): string | null {
  return stored === "{}" ? null : maskRecipient(JSON.parse(stored) as Recipient);
}
