import type { AppContext } from "../context";

const DAY_MS = 86_400_000;
/** Payloads deleted per statement: a first run over a large backlog goes in slices, not one long lock. */
const SLICE = 1_000;

/**
 * Processed webhook payloads (orders, checkouts, customers: personal data) are kept
 * WEBHOOK_PAYLOAD_RETENTION_DAYS (30 by default) after they were handled, for support and replay,
 * then deleted; the event rows stay. Expired app-proxy bindings go in the same pass. Runs in the
 * worker role a minute after start (start-up, and the webhooks waiting for it, come first) and
 * every hour.
 */
export class PayloadRetention {
  private timer?: NodeJS.Timeout;
  private first?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly ctx: AppContext,
    private readonly intervalMs = 3_600_000,
    private readonly firstAfterMs = 60_000,
  ) {}

  /** Deletes the payloads past retention now, and the expired app-proxy bindings; returns how many payloads. */
  async runOnce(): Promise<number> {
    const now = this.ctx.clock.now();
    const bindings = await this.ctx.proxyBindings.purgeExpired(now);
    if (bindings > 0) this.ctx.log.info({ purged: bindings }, "expired app-proxy bindings deleted");
    const before = new Date(now.getTime() - this.ctx.config.WEBHOOK_PAYLOAD_RETENTION_DAYS * DAY_MS);
    let total = 0;
    for (let n = SLICE; n === SLICE; total += n) n = await this.ctx.events.purgePayloads(before, SLICE);
    if (total > 0) this.ctx.log.info({ purged: total, before: before.toISOString() }, "webhook payloads past retention deleted");
    return total;
  }

  start(): void {
    const run = () => {
      this.running = this.runOnce().catch((err) => (this.ctx.log.error({ err: (err as Error).message, stack: (err as Error).stack }, "payload retention pass failed"), 0));
    };
    this.first = setTimeout(run, this.firstAfterMs);
    this.timer = setInterval(run, this.intervalMs);
    this.first.unref();
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.first);
    clearInterval(this.timer);
    await this.running;
  }
}
