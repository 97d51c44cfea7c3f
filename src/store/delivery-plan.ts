import type { Message, Recipient } from "../messages/schema";
import type { MessageTag } from "../messages/limits";
import { keyPart } from "../policy/key-part";
import type { DeliveryAutomation } from "../policy/automations";

/** A message an automation wants sent: everything of the send_message body but page_id, plus scheduling. */
export interface PlannedDelivery {
  /** De-duplication key, in its automation's format (src/policy/automations.ts): "receipt:<shop>:<order id>", "manual:<shop>:<id>". */
  key: string;
  automation: DeliveryAutomation;
  recipient: Recipient;
  customerId: string | null;
  message: Message;
  tag?: MessageTag;
  /** Promotional: never tagged, and sent only while the recipient's 24-hour window is open. */
  promotional: boolean;
  /** When the recipient's window opened (their opt-in), for the promotional check at send time. */
  windowOpenedAt: Date | null;
  subjectKey: string | null;
  runAt: Date;
}

/** The key of the row that tells why `automation`'s message about `subjectKey` was not made (EventOutcome.unsent): one per both. */
export const unsentKey = (shopDomain: string, automation: DeliveryAutomation, subjectKey: string) => `unsent:${automation}:${shopDomain}:${subjectKey}`;

/** The recipient key of a row with no recipient (an unsent message): none of the queue's rules reads it. */
export const noRecipientKey = (shopDomain: string) => `${shopDomain}|none`;

/** The key that keeps one recipient's messages in order. */
export function recipientKeyOf(shopDomain: string, recipient: Recipient): string {
  const [kind, value] = Object.entries(recipient).find(([, v]) => v !== undefined)!;
  return `${shopDomain}|${kind}:${keyPart(String(value))}`;
}
