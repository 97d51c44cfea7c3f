import { AppError } from "../errors";
import type { ReasonCode } from "../policy/reasons";
import { UNKNOWN_RECIPIENT } from "../store/keys";
/** What JoinChat (or the network) answered, kept for the delivery log. */
export interface SendAnswer {
  status: number | null;
  body: string;
}

/**
 * JoinChat's own word that it did not send a message: a body `{"success": false, "errors":
 * {"code": 10010, "msg": "Recipient not found"}}` (one of its examples spells the key `error`),
 * whatever the HTTP status. The code is kept as text, verbatim.
 */
export interface Refusal {
  code: string | null;
  msg: string;
}

/**
 * What a retryable failure says about the message and about JoinChat:
 * - `unreachable`: no connection was made (refused, no such host): the message did not go;
 * - `unanswered`: the body may have gone but no answer came (a timeout, a connection reset after
 *   sending): JoinChat has no idempotency key, so the message may have reached the customer;
 * - `server`: JoinChat answered 5xx or 408, or a 2xx that is not its answer (an HTML page from a
 *   proxy, an empty body): it says it did not handle the message;
 * - `throttled`: 429, JoinChat asks the app to slow down.
 * The first three, seen for every message, are an outage (src/delivery/outage.ts); a throttle is not.
 */
export type RetryableKind = "unreachable" | "unanswered" | "server" | "throttled";

/** Worth trying again later: network failure, timeout, 408, 429, 5xx, or a 2xx body that is not JoinChat's answer. */
export class RetryableSendError extends AppError {
  readonly name = "RetryableSendError";
  readonly code = "send_retryable";
  constructor(
    message: string,
    readonly answer: SendAnswer,
    readonly kind: RetryableKind,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Trying again will not help: any other 4xx, or a body refused before sending. */
export class PermanentSendError extends AppError {
  readonly name: string = "PermanentSendError";
  readonly code: string = "send_refused";
  constructor(
    message: string,
    readonly answer: SendAnswer,
  ) {
    super(message);
  }
}

/**
 * JoinChat answered (often with a 2xx) that it refused the message: not sent. Every refusal ends
 * the message as failed (a dead letter the merchant can retry): it was not sent, so trying again
 * cannot duplicate it, and an unknown code retried blindly could repeat a refusal for hours. The
 * code and message are kept verbatim; src/policy/reasons.ts says what a known one means.
 */
export class RefusedSendError extends PermanentSendError {
  readonly name = "RefusedSendError";
  readonly code = "send_refused_by_joinchat";
  constructor(
    readonly refusal: Refusal,
    answer: SendAnswer,
  ) {
    super(`JoinChat refused the message${refusal.code !== null ? ` (code ${refusal.code})` : ""}: ${refusal.msg}`, answer);
  }
}

/** What an answer's body says, when it is JoinChat's documented JSON: success, recipient_id, refusal. */
export function readAnswerBody(body: string): { success: boolean | null; recipientId: string | null; refusal: Refusal | null } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { success: null, recipientId: null, refusal: null };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { success: null, recipientId: null, refusal: null };
  const o = json as Record<string, unknown>;
  const success = typeof o.success === "boolean" ? o.success : null;
  const rid = o.recipient_id;
  const recipientId = typeof rid === "string" || typeof rid === "number" ? String(rid) : null;
  if (success !== false) return { success, recipientId, refusal: null };
  const raw = o.errors ?? o.error;
  const e = (Array.isArray(raw) ? raw[0] : raw) as Record<string, unknown> | string | undefined | null;
  const code = typeof e === "object" && e !== null && (typeof e.code === "string" || typeof e.code === "number") ? String(e.code) : null;
  const msg =
    typeof e === "string"
      ? e
      : typeof e === "object" && e !== null && typeof e.msg === "string"
        ? e.msg
        : typeof e === "object" && e !== null && typeof e.message === "string"
          ? e.message
          : "no reason given";
  return { success, recipientId, refusal: { code, msg } };
}

/** Why a send that did not go through ended, as a reason code (src/policy/reasons.ts); null where the table has no words for it. */
export function reasonOfSendError(err: RetryableSendError | PermanentSendError): ReasonCode | null {
  if (err instanceof RetryableSendError) {
    if (err.kind === "unanswered") return "unanswered";
    // A 2xx that is not JoinChat's answer: tried again.
    return err.answer.status !== null && err.answer.status < 300 ? "not_joinchat" : null;
  }
  if (err instanceof RefusedSendError && err.refusal.code === UNKNOWN_RECIPIENT) return "unknown_recipient";
  if (err.answer.status === 401 || err.answer.body.includes("signature does not match")) return "signature_refused";
  if (err.answer.status === 404) return "unknown_page";
  return "refused";
}
