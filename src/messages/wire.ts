import type { Decimal, Message, ReceiptMessage, SendBody, WireSendBody } from "./schema";
import { MessageLimitError, parseSendBody } from "./validate";

/**
 * The bytes JoinChat gets. Receipt amounts are JSON numbers on the wire (the page's tables type
 * them Number, its examples write `"subtotal":75.00`), while the app keeps them as exact decimal
 * text: each is written here as the number token it already is, never through a float, so
 * "21.00" goes out as `21.00` and 99999999999999999.99 is not rounded.
 */

/** A JSON number token with a dot for decimals (JSON's own grammar, without an exponent). */
const NUMBER_TOKEN = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function amountToken(value: Decimal, field: string): string {
  if (typeof value !== "string" || !NUMBER_TOKEN.test(value)) throw new MessageLimitError(field, "must be a decimal number with a dot, e.g. 12.50");
  return value;
}

/** `{...}` of an object's other fields, without the braces ("" for none), to splice amounts beside. */
const fieldsOf = (o: object): string => JSON.stringify(o).slice(1, -1);
const join = (...parts: string[]) => `{${parts.filter(Boolean).join(",")}}`;

function receiptToWire(r: ReceiptMessage): string {
  const { summary, adjustments, elements, ...rest } = r;
  const summaryText = join(
    ...Object.entries(summary)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${amountToken(v as Decimal, `message.summary.${k}`)}`),
  );
  const adjustmentsText = adjustments?.map(({ amount, ...a }, i) => join(fieldsOf(a), `"amount":${amountToken(amount, `message.adjustments[${i}].amount`)}`));
  const elementsText = elements?.map(({ price, ...e }, i) => join(fieldsOf(e), `"price":${amountToken(price, `message.elements[${i}].price`)}`));
  return join(
    fieldsOf(rest),
    `"summary":${summaryText}`,
    adjustmentsText ? `"adjustments":[${adjustmentsText.join(",")}]` : "",
    elementsText ? `"elements":[${elementsText.join(",")}]` : "",
  );
}

/** A message as JSON text, receipt amounts as number tokens. */
export function serializeMessage(message: Message): string {
  return message.template_type === "receipt" ? receiptToWire(message) : JSON.stringify(message);
}

/** The whole send_message body as the exact bytes to sign and send. */
export function serializeSendBody(body: SendBody): string {
  const { message, ...rest } = body;
  return join(fieldsOf(rest), `"message":${serializeMessage(message)}`);
}

/**
 * Serializes the body and checks those bytes as JoinChat reads them (JSON.parse, then its rules):
 * throws MessageLimitError naming every broken rule, else returns the bytes and what they say.
 */
export function wireBody(body: SendBody): { text: string; value: WireSendBody } {
  const text = serializeSendBody(body);
  return { text, value: parseSendBody(JSON.parse(text)) };
}
