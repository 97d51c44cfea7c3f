/**
 * The base of every error the app expects and a caller branches on: each says what went wrong
 * in its message and which kind it is in `code`, so the CLI and HTTP layers map kinds to exit
 * codes and statuses in one place (src/cli/main.ts) instead of lists of classes. Anything not an
 * AppError is unexpected: logged with its stack.
 */
export abstract class AppError extends Error {
  /** The kind, stable across messages: "usage", "config", "encryption_key", "send_retryable", ... */
  abstract readonly code: string;
  /** Bad input or setup the operator can fix (exit 2), rather than a failure of the outside (exit 1). */
  readonly operatorFixable: boolean = false;
}

/**
 * A request the app refuses, with the HTTP status that says why; `field` names the input at fault,
 * for a form to mark; `problems`, when the input had several, each with its field (the first is
 * `field` and the message).
 */
export class RequestError extends AppError {
  readonly code = "request";
  readonly operatorFixable = true;
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503,
    message: string,
    readonly field?: string,
    readonly problems?: readonly { field: string; message: string }[],
  ) {
    super(message);
  }
}
