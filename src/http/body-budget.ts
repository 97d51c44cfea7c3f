/**
 * Memory for request bodies that are not verified yet (a webhook's HMAC is checked once all of
 * it is in): without a bound, clients that announce 2 MB bodies and trickle them in hold that
 * much each (150 of them grew the process by about 260 MB). The budget caps the bytes held
 * across all requests, and gives each request a fair share of it (the budget divided by the
 * requests reading now): a request past its share is refused, and when the budget is full the
 * request holding most beyond the share is refused to make room. Shopify's deliveries, a few KB
 * read in milliseconds, stay far within a share.
 */
export class BodyBudget {
  private used = 0;
  private readonly readers = new Set<BodyAllowance>();
  constructor(readonly totalBytes: number) {}

  /** A request starts reading its body; `onEvicted` answers it when the budget takes its bytes back. */
  open(onEvicted: () => void): BodyAllowance {
    const a = new BodyAllowance(this, onEvicted);
    this.readers.add(a);
    return a;
  }

  /** Bytes each reader may hold now. */
  share(): number {
    return this.totalBytes / Math.max(1, this.readers.size);
  }

  /** @internal */
  take(a: BodyAllowance, bytes: number): boolean {
    if (!this.readers.has(a)) return false; // released or evicted
    const share = this.share();
    if (a.bytes + bytes > share) return false;
    while (this.used + bytes > this.totalBytes) {
      let largest: BodyAllowance | null = null;
      for (const r of this.readers) if (r !== a && r.bytes > share && (!largest || r.bytes > largest.bytes)) largest = r;
      if (!largest) return false;
      largest.evict();
    }
    this.used += bytes;
    a.bytes += bytes;
    return true;
  }

  /** @internal */
  release(a: BodyAllowance): void {
    if (!this.readers.delete(a)) return;
    this.used -= a.bytes;
    a.bytes = 0;
  }

  get bytesHeld(): number {
    return this.used;
  }
}

/** One request's part of the budget. */
export class BodyAllowance {
  bytes = 0;
  constructor(
    private readonly budget: BodyBudget,
    private readonly onEvicted: () => void,
  ) {}

  /** Counts `bytes` more as held; false when they are beyond this request's share. */
  take(bytes: number): boolean {
    return this.budget.take(this, bytes);
  }

  /** The body is verified, refused or gone: its bytes no longer count. */
  release(): void {
    this.budget.release(this);
  }

  /** @internal */
  evict(): void {
    this.release();
    this.onEvicted();
  }
}
