import { request } from "undici";
import { parseSendBody } from "../messages/validate";
import type { SendBody } from "../messages/schema";
import { PermanentSendError, RetryableSendError, type SendAnswer } from "./errors";
import { signBody } from "./signature";

export interface JoinChatClientOptions {
  apiUrl: string;
  timeoutMs: number;
}

export interface SendResult {
  /** The exact bytes that were signed and sent. */
  sentBody: string;
  answer: SendAnswer;
}

const MAX_KEPT_ANSWER = 4_000;

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The signed send_message client: validate, serialise once, sign those bytes, send those bytes. */
export class JoinChatClient {
  constructor(private readonly options: JoinChatClientOptions) {}

  /**
   * Sends one message. Throws MessageLimitError for a body that breaks a rule (nothing is sent),
   * RetryableSendError or PermanentSendError when JoinChat or the network refuses it.
   */
  async send(body: SendBody, secret: string): Promise<SendResult> {
    const valid = parseSendBody(body);
    const sentBody = JSON.stringify(valid);
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
      throw new RetryableSendError(`JoinChat ${reason}`, { status: null, body: "" });
    }
    const answer: SendAnswer = { status, body: text.slice(0, MAX_KEPT_ANSWER) };
    if (status >= 200 && status < 300) return { sentBody, answer };
    const s = status;
    const summary = `JoinChat answered ${s}: ${answer.body.slice(0, 200)}`;
    if (s === 408 || s === 429 || s >= 500) throw new RetryableSendError(summary, answer, retryAfterMs(retryAfter));
    throw new PermanentSendError(summary, answer);
  }
}
