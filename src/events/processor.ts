import crypto from "node:crypto";
import type { AppContext } from "../context";
import type { Metrics } from "../metrics";
import { parseShopifyJson } from "../shopify/json";
import { errorLine } from "../store/db";
import type { EventStore, StoredEvent } from "../store/events";
import type { ShopRecord } from "../store/shops";
import { TOPIC_HANDLERS } from "./handlers";
import { writeOutcome } from "./outcome-writer";
import { searchFactsOf } from "./search-facts";
import { MAX_EVENT_ATTEMPTS, skipped, type EventOutcome } from "../automations/contract";
import { isKnownTopic } from "./topics";
import { payloadKeys, traceColumn, tracesOf } from "./customer-traces";
import { Waker } from "../waker";
import { InvalidAmountError } from "../money";
import { retryDelayMs } from "../delivery/backoff";
import type { Logger } from "../log";

/** What one pass of the processor shares between its events. */
interface Pass {
  shops: Map<string, Promise<ShopRecord | null>>;
  /** Whether the shop has redacted customers at all: only then is each event checked against them. */
  redactions: Map<string, Promise<boolean>>;
  finished: Finished[];
}

/** An event whose outcome is only its new state, written with the pass's others in one commit. */
type Finished = Parameters<EventStore["finishMany"]>[0][number] & { event: StoredEvent };

/**
 * Works through stored webhook events after they were acknowledged: oldest first, each through
 * its topic's handler, writing the outcome and the event's new state in one transaction.
 */
export class EventProcessor {
  readonly workerId = `events-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  private running = false;
  private loop?: Promise<void>;

  private readonly waker: Waker;

  constructor(
    private readonly ctx: AppContext,
    private readonly metrics: Metrics,
    /** Called when an event scheduled messages, so the delivery worker need not wait for its poll. */
    private readonly onScheduled: () => void = () => {},
    pollMs = 500,
  ) {
    this.waker = new Waker(pollMs);
  }

  /** Handles what is due now; returns how many events it worked on. */
  async runOnce(limit = 50): Promise<number> {
    // A claimed event not finished within the lease is taken to be abandoned by a crashed process.
    const events = await this.ctx.events.claim(limit, this.workerId, this.ctx.clock.claimTime(), this.ctx.config.DELIVERY_LEASE_MS);
    // One pass reads each shop's settings once, and marks its message-less events done in one commit.
    const pass: Pass = { shops: new Map(), redactions: new Map(), finished: [] };
    for (const event of events) {
      // Claimed this often, its end was never written (a crash, or the database refused even the
      // failure): given up on rather than handled again.
      if (event.attempts > MAX_EVENT_ATTEMPTS) await this.failed(event, new Error(`claimed ${event.attempts} times without its end being written`), null);
      else await this.handle(event, pass);
      // Let waiting webhook requests in between events: acknowledging comes before processing.
      await new Promise((r) => setImmediate(r));
    }
    // Not written if the process dies first: those events are claimed again after the lease and,
    // implying no messages, handled again to the same end.
    await this.finish(pass.finished);
    return events.length;
  }

  /** Writes finished events in one commit; one the database refuses is tried alone, so only it fails. */
  private async finish(done: Finished[]): Promise<void> {
    if (done.length === 0) return;
    try {
      await this.ctx.events.finishMany(done);
    } catch (err) {
      if (done.length === 1) return this.failed(done[0]!.event, err as Error, done[0]!.traces);
      for (const d of done) await this.finish([d]);
      return;
    }
    for (const d of done) this.handled(d.event, { state: d.state, note: d.note ?? undefined });
  }

  private logOf(event: StoredEvent): Logger {
    return this.ctx.log.child({ shop: event.shopDomain, topic: event.topic, eventId: event.eventKey });
  }

  private handled(event: StoredEvent, outcome: EventOutcome, log?: Logger): void {
    this.metrics.events.inc({ state: outcome.state });
    if (this.ctx.log.isLevelEnabled("debug"))
      (log ?? this.logOf(event)).debug({ state: outcome.state, note: outcome.note, scheduled: outcome.deliveries?.length ?? 0 }, "event handled");
  }

  private async handle(event: StoredEvent, { shops, redactions, finished }: Pass): Promise<void> {
    // A child logger costs about 10 µs an event (a CPU profile): made only when a line may be logged.
    let child: Logger | undefined;
    const log = () => (child ??= this.logOf(event));
    let outcome: EventOutcome;
    let customerId: string | null = null;
    let traces: string | null = null;
    let payload: Record<string, unknown> | undefined;
    const secret = this.ctx.config.SHOPIFY_API_SECRET ?? "";
    try {
      payload = parseShopifyJson(event.payload) as Record<string, unknown>;
      const found = tracesOf(event.topic, payload);
      customerId = found.customerId;
      traces = traceColumn(found, secret);
      // An event about a customer redacted after it arrived (not yet handled then, or claimed in
      // this pass before the redaction ran) is deleted, not handled: nothing is sent to them.
      if (!redactions.has(event.shopDomain)) redactions.set(event.shopDomain, this.ctx.compliance.hasRedactions(event.shopDomain));
      if ((await redactions.get(event.shopDomain)!) && (await this.ctx.compliance.isRedacted(event.shopDomain, payloadKeys(found, secret), event.receivedAt))) {
        await this.ctx.compliance.deleteEvent(event.id);
        this.metrics.events.inc({ state: "redacted" });
        return;
      }
      const entry = isKnownTopic(event.topic) ? TOPIC_HANDLERS[event.topic] : undefined;
      if (!shops.has(event.shopDomain)) shops.set(event.shopDomain, this.ctx.shops.find(event.shopDomain));
      const shop = await shops.get(event.shopDomain)!;
      if (!entry) outcome = skipped("no automation for this topic");
      else if (entry.needsShop && !shop?.pageId) outcome = skipped("shop not configured: no JoinChat page id and secret (npm run cli -- shop:set)");
      else if (entry.needsShop && shop?.uninstalledAt) outcome = skipped("app uninstalled from this shop");
      else outcome = await entry.handle({ ctx: this.ctx, event: { ...event, customerId }, payload, shop, log: log() });
    } catch (err) {
      if (err instanceof InvalidAmountError) {
        // The payload is what it is: trying again reads the same value.
        outcome = skipped(`payload not understood: ${err.message}`);
      } else return this.failed(event, err as Error, traces);
    }
    if (event.topic === "customers/redact") redactions.set(event.shopDomain, Promise.resolve(true));
    const now = this.ctx.clock.now();
    // Anything writeOutcome writes besides the event's state: messages, closed subjects, a
    // superseded sequence, a subject's version, an order for the attribution window.
    const work = outcome.deliveries?.length || outcome.close?.length || outcome.supersede || outcome.version || outcome.order || outcome.unsent;
    // An outcome that is only the event's new state: one statement, no transaction.
    if (!work) return void finished.push({ event, id: event.id, state: outcome.state, note: outcome.note ?? null, customerId, traces, at: now });
    try {
      await writeOutcome(this.ctx.database, event, { customerId, traces, search: searchFactsOf(event.topic, payload ?? {}) }, outcome, now);
    } catch (err) {
      // Refused by the database (a value it cannot hold): an attempt like a handler's error.
      return this.failed(event, err as Error, traces);
    }
    if (outcome.deliveries?.length) this.onScheduled();
    this.handled(event, outcome, child);
  }

  /**
   * A handler threw, or the database refused the event's outcome: the event is tried again with
   * backoff (from EVENT_RETRY_BASE_MS, doubling, with jitter), up to MAX_EVENT_ATTEMPTS, then
   * `failed`: the admin shows it, with the error, to retry.
   */
  private async failed(event: StoredEvent, err: Error, traces: string | null): Promise<void> {
    const message = errorLine(err).slice(0, 500).toWellFormed();
    const giveUp = event.attempts >= MAX_EVENT_ATTEMPTS;
    const runAt = giveUp ? null : new Date(this.ctx.clock.now().getTime() + retryDelayMs(event.attempts, this.ctx.config.EVENT_RETRY_BASE_MS));
    // The stack tells an unexpected error's cause; the event's note keeps the message.
    const log = this.logOf(event);
    log.error({ err: message, stack: err.stack, attempts: event.attempts, retryAt: runAt }, giveUp ? "event failed: giving up" : "event failed: will retry");
    try {
      await this.ctx.events.release(event.id, runAt, message, traces);
    } catch (releaseErr) {
      // Left processing: claimed again after the lease, and given up on past MAX_EVENT_ATTEMPTS claims.
      log.error({ err: errorLine(releaseErr) }, "event's failure not recorded");
      return;
    }
    this.metrics.events.inc({ state: giveUp ? "failed" : "retry" });
  }

  /** Runs until stop(): handles due events, then sleeps until poked or the poll interval passes. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let n = 0;
        try {
          n = await this.runOnce();
        } catch (err) {
          this.ctx.log.error({ err: (err as Error).message, stack: (err as Error).stack }, "event processor pass failed");
        }
        if (n === 0 && this.running) await this.waker.sleep();
      }
    })();
  }

  /** Wakes the loop now: new work was stored, or a slot came free. */
  poke(): void {
    this.waker.poke();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
  }
}
