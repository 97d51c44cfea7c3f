import { request } from "undici";
import type { SendBody } from "../messages/schema";
import { wireBody } from "../messages/wire";
import { PermanentSendError, readAnswerBody, RefusedSendError, RetryableSendError, type SendAnswer } from "./errors";
import { signBody } from "./signature";

export interface JoinChatClientOptions {
  apiUrl: string;
  timeoutMs: number;
  /** The longest wait a `Retry-After` may ask for: an absurd one (1e308, a date in 2099) is cut to this. */
  retryAfterMaxMs: number;
}

export interface SendResult {
  /** The exact bytes that were signed and sent. */
  sentBody: string;
  answer: SendAnswer;
  /** The Messenger id JoinChat answered with (`recipient_id`), when it did. */
  recipientId: string | null;
}

const MAX_KEPT_ANSWER = 4_000;

/** The wait a `Retry-After` header asks for (seconds, or an HTTP date), within [0, max]; undefined when unreadable. */
export function retryAfterMs(header: string | null, max: number, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isNaN(ms) ? undefined : Math.min(max, Math.max(0, ms));
}

/** The signed send_message client: validate, serialise once, sign those bytes, send those bytes. */
export class JoinChatClient {
  constructor(private readonly options: JoinChatClientOptions) {}

  /**
   * Sends one message. Throws MessageLimitError for a body that breaks a rule (nothing is sent),
   * RetryableSendError or PermanentSendError when JoinChat or the network refuses it, and
   * RefusedSendError when JoinChat's answer says `success: false`, even with a 2xx status.
   */
  async send(body: SendBody, secret: string): Promise<SendResult> {
    return this.sendBytes(wireBody(body).text, secret);
  }

  /** Signs and sends bytes that wireBody made and checked. */
  async sendBytes(sentBody: string, secret: string): Promise<SendResult> {
    const signature = signBody(sentBody, secret);
    let status: number;
    let retryAfter: string | null;
    let text: string;
    try {
      // undici's request(): the same client as fetch() underneath, without its WHATWG streams,
      // which cost more CPU per message than everything else the worker does for one.
      const response = await request(this.options.apiUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "x-joinchat-signature": signature },
        body: sentBody,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.statusCode;
      const header = response.headers["retry-after"];
      retryAfter = Array.isArray(header) ? (header[0] ?? null) : (header ?? null);
      text = await response.body.text();
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      const timedOut = name === "TimeoutError" || name === "AbortError";
      const reason = timedOut ? `timed out after ${this.options.timeoutMs} ms` : `network error: ${(err as Error).message}`;
      throw new RetryableSendError(`JoinChat ${reason}`, { status: null, body: "" }, !timedOut && neverConnected(err) ? "unreachable" : "unanswered");
    }
    const answer: SendAnswer = { status, body: text.slice(0, MAX_KEPT_ANSWER) };
    const said = readAnswerBody(text);
    const s = status;
    if (s >= 200 && s < 300) {
      if (said.refusal) throw new RefusedSendError(said.refusal, answer);
      if (said.success === true) return { sentBody, answer, recipientId: said.recipientId };
      // A 2xx that is not JoinChat's answer (a proxy's HTML page, an empty body, "success": "false"):
      // nothing says the message went, and nothing says it was refused. Kept verbatim, tried again.
      throw new RetryableSendError(`JoinChat answered ${s} without its {"success": true}: ${answer.body.slice(0, 200) || "(empty body)"}`, answer, "server");
    }
    const summary = `JoinChat answered ${s}: ${answer.body.slice(0, 200)}`;
    if (s === 429) throw new RetryableSendError(summary, answer, "throttled", retryAfterMs(retryAfter, this.options.retryAfterMaxMs));
    if (s === 408 || s >= 500) throw new RetryableSendError(summary, answer, "server", retryAfterMs(retryAfter, this.options.retryAfterMaxMs));
    if (said.refusal) throw new RefusedSendError(said.refusal, answer);
    throw new PermanentSendError(summary, answer);
  }
}

/** Connection errors raised before a byte of the request could have gone (undici's codes and the system's). */
const CONNECT_ERRORS = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT", "ERR_INVALID_URL"]);

/** Whether a network error happened before the connection was made, so the message cannot have gone. */
function neverConnected(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code && CONNECT_ERRORS.has(e.code)) return true;
  }
  return false;
}
