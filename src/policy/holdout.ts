import { createHash } from "node:crypto";

/**
 * The holdout: a share of abandoned checkouts whose recalls are deliberately not sent, so Results
 * can compare them with the recalled ones and show what the recalls add. A checkout's group is a
 * hash of the shop and the checkout token, so every update, retry and process decides alike.
 */

/** Where a checkout falls, 0 to 9,999: the same for the same shop and token, evenly spread. */
export function holdoutBucket(shopDomain: string, checkoutToken: string): number {
  return createHash("sha256").update(`${shopDomain}\n${checkoutToken}`).digest().readUInt32BE(0) % 10_000;
}

/** Whether the checkout is in the holdout group at `percent` (0-50). */
export function inHoldout(shopDomain: string, checkoutToken: string, percent: number): boolean {
  return percent > 0 && holdoutBucket(shopDomain, checkoutToken) < Math.round(percent * 100);
}
