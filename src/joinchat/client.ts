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
    let response: Response;
    try {
      response = await fetch(this.options.apiUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "x-joinchat-signature": signature },
        body: sentBody,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      const timedOut = name === "TimeoutError" || name === "AbortError";
      const reason = timedOut ? `timed out after ${this.options.timeoutMs} ms` : `network error: ${(err as Error).cause ?? (err as Error).message}`;
      throw new RetryableSendError(`JoinChat ${reason}`, { status: null, body: "" });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw new RetryableSendError(`JoinChat answer cut off: ${(err as Error).message}`, { status: response.status, body: "" });
    }
    const answer: SendAnswer = { status: response.status, body: text.slice(0, MAX_KEPT_ANSWER) };
    if (response.ok) return { sentBody, answer };
    const s = response.status;
    const summary = `JoinChat answered ${s}: ${answer.body.slice(0, 200)}`;
    if (s === 408 || s === 429 || s >= 500) throw new RetryableSendError(summary, answer, retryAfterMs(response.headers.get("retry-after")));
    throw new PermanentSendError(summary, answer);
  }
}
