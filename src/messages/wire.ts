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

/** Every string of `value` with its lone surrogates (half an emoji, cut elsewhere) as U+FFFD. */
function wellFormed<T>(value: T): T {
  if (typeof value === "string") return value.toWellFormed() as T;
  if (Array.isArray(value)) return value.map(wellFormed) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wellFormed(v as unknown)])) as T;
  return value;
}

/**
 * The whole send_message body as the exact bytes to sign and send. A lone surrogate (a customer's
 * name cut inside an emoji by whatever wrote it) would go out as a `\ud800` escape, which strict
 * JSON decoders refuse, losing the whole message: it goes out as U+FFFD instead. JSON.stringify
 * writes `\ud` only for one (or a backslash the text had), so the common body is walked once.
 */
export function serializeSendBody(body: SendBody): string {
  const text = serializeAsIs(body);
  return text.includes("\\ud") ? serializeAsIs(wellFormed(body)) : text;
}

function serializeAsIs(body: SendBody): string {
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
