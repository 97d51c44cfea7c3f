import type { Clock } from "../clock";

/**
 * How long a signed app-proxy query stays usable: the library accepts a `timestamp` up to 90 s
 * from now either way, so a query signed at t is usable until t + 90 s; kept a little longer.
 */
const BINDING_MS = 120_000;

/**
 * What each signed app-proxy query was first used for. Shopify signs the query (shop, customer,
 * timestamp), not the POST body with the uuid: without this, anyone holding a logged-in
 * customer's signed query (a shared link, a log) could post their own uuid with it within the
 * window and be linked to that customer. The first uuid a signature carries is the only one it
 * ever carries; the same uuid again (a retry, an unlink) is fine. Per process, in memory: a query is used
 * within seconds, and several processes behind a balancer each hold what reached them.
 */
export class SignedQueryBindings {
  private readonly bound = new Map<string, { uuid: string; until: number }>();
  constructor(private readonly clock: Clock) {}

  /** Binds `uuid` to `signature` if it is new; false when the signature already carries another uuid. */
  bind(signature: string, uuid: string, signedAtSeconds: number): boolean {
    const now = this.clock.now().getTime();
    const existing = this.bound.get(signature);
    if (existing && existing.until > now) return existing.uuid === uuid;
    if (this.bound.size >= 1_000) this.sweep(now);
    this.bound.set(signature, { uuid, until: signedAtSeconds * 1000 + BINDING_MS });
    return true;
  }

  private sweep(now: number): void {
    for (const [k, b] of this.bound) if (b.until <= now) this.bound.delete(k);
  }
}
