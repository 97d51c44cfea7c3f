/** What JoinChat (or the network) answered, kept for the delivery log. */
export interface SendAnswer {
  status: number | null;
  body: string;
}

/** Worth trying again later: network failure, timeout, 408, 429 or 5xx. */
export class RetryableSendError extends Error {
  readonly name = "RetryableSendError";
  constructor(message: string, readonly answer: SendAnswer, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** Trying again will not help: any other 4xx, or a body refused before sending. */
export class PermanentSendError extends Error {
  readonly name = "PermanentSendError";
  constructor(message: string, readonly answer: SendAnswer) {
    super(message);
  }
}
