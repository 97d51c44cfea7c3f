import type { RetryableKind } from "../joinchat/errors";

/** Sends failing in a row, over all messages, after which JoinChat counts as down. */
export const OUTAGE_AFTER_FAILURES = 10;

/** The failures that speak of JoinChat as a whole; a throttle (429) and a refusal are answers. */
export const isOutageKind = (kind: RetryableKind): boolean => kind !== "throttled";

/**
 * Whether JoinChat is down, as one worker sees it from its own sends, and when it may be tried
 * again. Pure: the worker tells it each send's result and asks it how many messages to claim.
 *
 * Up, every message is sent as usual. After OUTAGE_AFTER_FAILURES sends in a row failed without an
 * answer or with a 5xx (whatever their messages), it is down: the worker sends one message (a
 * probe) every `probeMs` and claims nothing else, so the others wait without spending their tries
 * and nobody hammers a JoinChat that is coming back. The first send that goes through ends the
 * outage; the worker then makes every message that waited due at once.
 */
export class OutageWatch {
  private failuresInRow = 0;
  private streakStart: Date | null = null;
  private outage: { since: Date; lastError: string } | null = null;
  private nextProbeAt = 0;
  private probing = false;

  constructor(
    private readonly probeMs: number,
    private readonly threshold = OUTAGE_AFTER_FAILURES,
  ) {}

  /** The outage in progress, or null while JoinChat answers. */
  get down(): { since: Date; lastError: string } | null {
    return this.outage;
  }

  /**
   * How many messages the worker may claim now: `free` while JoinChat is up; during an outage one
   * (the probe) when its time has come and no probe is in flight, else none.
   */
  allowance(free: number, now: Date): number {
    if (!this.outage) return free;
    return !this.probing && now.getTime() >= this.nextProbeAt ? Math.min(1, free) : 0;
  }

  /** The worker claimed a probe: no other until it ends (probeEnded). */
  probeStarted(): void {
    this.probing = true;
  }

  /** The probe ended: sent, failed, or decided without a send (then the next may go at once). */
  probeEnded(): void {
    this.probing = false;
  }

  /** JoinChat answered (sent, refused, throttled): returns true when that ends an outage. */
  answered(): boolean {
    this.failuresInRow = 0;
    this.streakStart = null;
    const ended = this.outage !== null;
    this.outage = null;
    return ended;
  }

  /** A send failed for a reason that speaks of JoinChat as a whole: returns true when that starts an outage. */
  failed(error: string, at: Date): boolean {
    this.failuresInRow++;
    this.streakStart ??= at;
    this.nextProbeAt = at.getTime() + this.probeMs;
    if (this.outage) {
      this.outage.lastError = error;
      return false;
    }
    if (this.failuresInRow < this.threshold) return false;
    this.outage = { since: this.streakStart, lastError: error };
    return true;
  }
}
