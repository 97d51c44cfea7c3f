/** Longest wait between two tries of one message. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/**
 * Delay before try number `attempt + 1`: exponential from `baseMs`, capped, with jitter in
 * [50%, 100%] so that many messages failing together do not come back together.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() * 0.5));
}
