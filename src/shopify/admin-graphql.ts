import { GraphqlQueryError, HttpRequestError, HttpResponseError, HttpRetriableError, HttpThrottlingError, type Session, type Shopify } from "@shopify/shopify-api";

/** The Admin API said no for good (revoked token, missing scope, bad input): retrying will not help. */
export class AdminApiRefusedError extends Error {
  constructor(readonly reason: string) {
    super(`Shopify Admin API refused the request: ${reason}`);
    this.name = "AdminApiRefusedError";
  }
}

/**
 * The Admin API stayed throttled or unreachable through every try: the caller may try later.
 * `ambiguous`: the last try may have reached Shopify and been carried out (a 5xx, a network error
 * after the request was sent), as opposed to a throttle, which Shopify answers before doing anything.
 */
export class AdminApiUnavailableError extends Error {
  constructor(
    readonly reason: string,
    readonly ambiguous = false,
  ) {
    super(`Shopify Admin API unavailable: ${reason}`);
    this.name = "AdminApiUnavailableError";
  }
}

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** The `extensions.cost` Shopify returns with every GraphQL answer (and a THROTTLED error). */
interface QueryCost {
  requestedQueryCost?: number;
  throttleStatus?: ThrottleStatus;
}

const MAX_TRIES = 5;
/** No single wait longer than this: a bucket that needs more is left to a later retry of the event. */
const MAX_WAIT_MS = 10_000;

export interface AdminGraphqlOptions {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /**
   * A new session after the Admin API answered 401 to this one (its token expired or was revoked
   * early): the call is tried once more with it. Throws when the token cannot be renewed.
   */
  onUnauthorized?: (session: Session) => Promise<Session>;
  /** The Admin API answered 401 to the session onUnauthorized gave: the token is revoked for good. */
  onRevoked?: (session: Session) => Promise<void>;
}

/**
 * Admin GraphQL calls through @shopify/shopify-api's client, respecting Shopify's cost-based
 * throttle: the bucket each answer reports is remembered per shop, a call waits until the bucket
 * has restored enough for its cost, and a THROTTLED answer (or HTTP 429, 5xx, a network error) is
 * retried after the wait the answer implies.
 */
export class AdminGraphql {
  private readonly buckets = new Map<string, { status: ThrottleStatus; at: number }>();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly onUnauthorized?: (session: Session) => Promise<Session>;
  private readonly onRevoked?: (session: Session) => Promise<void>;

  constructor(
    private readonly shopify: Shopify,
    o: AdminGraphqlOptions = {},
  ) {
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = o.now ?? Date.now;
    this.onUnauthorized = o.onUnauthorized;
    this.onRevoked = o.onRevoked;
  }

  /**
   * Runs `query`; returns its `data`. Throws AdminApiRefusedError or AdminApiUnavailableError.
   * `once`: a mutation that must not run twice and takes no idempotency key (a store-credit grant)
   * is not tried again after an answer that leaves open whether Shopify carried it out (5xx, a
   * network error); a throttle, which Shopify answers before doing anything, is still waited out.
   */
  async request<T>(session: Session, query: string, variables: Record<string, unknown>, expectedCost: number, o: { once?: boolean } = {}): Promise<T> {
    let lastReason = "";
    await this.waitForBucket(session.shop, expectedCost);
    let renewed = false;
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      try {
        const client = new this.shopify.clients.Graphql({ session });
        const response = await client.request(query, { variables });
        this.remember(session.shop, (response.extensions as { cost?: QueryCost } | undefined)?.cost);
        return response.data as T;
      } catch (err) {
        if (err instanceof HttpResponseError && err.response.code === 401 && this.onUnauthorized && !renewed) {
          renewed = true;
          try {
            session = await this.onUnauthorized(session);
          } catch (renewal) {
            throw new AdminApiRefusedError(`HTTP 401 and the token could not be renewed: ${(renewal as Error).message}`);
          }
          attempt--;
          continue;
        }
        if (err instanceof HttpResponseError && err.response.code === 401 && renewed) await this.onRevoked?.(session);
        const verdict = this.classify(session.shop, err, expectedCost);
        if (verdict.refused) throw new AdminApiRefusedError(verdict.reason);
        if (o.once && verdict.ambiguous) throw new AdminApiUnavailableError(verdict.reason, true);
        lastReason = verdict.reason;
        if (attempt < MAX_TRIES) await this.sleep(Math.min(MAX_WAIT_MS, verdict.waitMs));
      }
    }
    throw new AdminApiUnavailableError(`${lastReason} (${MAX_TRIES} tries)`);
  }

  private classify(shop: string, err: unknown, expectedCost: number): { refused: boolean; reason: string; waitMs: number; ambiguous?: boolean } {
    if (err instanceof GraphqlQueryError) {
      const errors = (err.body?.errors?.graphQLErrors ?? []) as { message?: string; extensions?: { code?: string } }[];
      if (errors.some((e) => e.extensions?.code === "THROTTLED")) {
        const cost = err.body?.extensions?.cost as QueryCost | undefined;
        this.remember(shop, cost);
        return { refused: false, reason: "throttled", waitMs: this.deficitMs(cost?.throttleStatus, cost?.requestedQueryCost ?? expectedCost) };
      }
      return {
        refused: true,
        reason:
          errors
            .map((e) => e.message)
            .filter(Boolean)
            .join("; ") || err.message,
        waitMs: 0,
      };
    }
    if (err instanceof HttpThrottlingError) return { refused: false, reason: "HTTP 429", waitMs: (err.response.retryAfter ?? 1) * 1000 };
    if (err instanceof HttpRetriableError) return { refused: false, reason: `HTTP ${err.response.code}`, waitMs: 1000, ambiguous: true };
    if (err instanceof HttpResponseError) return { refused: true, reason: `HTTP ${err.response.code} ${err.response.statusText}`.trim(), waitMs: 0 };
    if (err instanceof HttpRequestError) return { refused: false, reason: err.message.split("\n")[0]!, waitMs: 1000, ambiguous: true };
    throw err;
  }

  private remember(shop: string, cost: QueryCost | undefined): void {
    if (cost?.throttleStatus) this.buckets.set(shop, { status: cost.throttleStatus, at: this.now() });
  }

  /** How long until the bucket holds `cost` points, from what it reported. */
  private deficitMs(status: ThrottleStatus | undefined, cost: number): number {
    if (!status || status.restoreRate <= 0) return 1000;
    return Math.max(0, Math.ceil(((cost - status.currentlyAvailable) / status.restoreRate) * 1000));
  }

  private async waitForBucket(shop: string, cost: number): Promise<void> {
    const known = this.buckets.get(shop);
    if (!known) return;
    const { status, at } = known;
    const restored = ((this.now() - at) / 1000) * status.restoreRate;
    const available = Math.min(status.maximumAvailable, status.currentlyAvailable + restored);
    const waitMs = this.deficitMs({ ...status, currentlyAvailable: available }, cost);
    if (waitMs > 0) await this.sleep(Math.min(MAX_WAIT_MS, waitMs));
  }
}
