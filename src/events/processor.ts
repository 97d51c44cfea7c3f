import crypto from "node:crypto";
import type { AppContext } from "../context";
import type { Metrics } from "../metrics";
import { parseShopifyJson } from "../shopify/json";
import { errorLine } from "../store/db";
import type { StoredEvent } from "../store/events";
import type { ShopRecord } from "../store/shops";
import { TOPIC_HANDLERS } from "./handlers";
import { writeOutcomes, type OutcomeToWrite } from "./outcome-writer";
import { subjectsOf } from "./event-subjects";
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
  /** Outcomes handled and not yet written: one group commit at the end of the pass, or sooner (see handle). */
  pending: (OutcomeToWrite & { log?: Logger })[];
  /** What the pending outcomes' events are about (event-subjects.ts). */
  subjects: Set<string>;
}

/**
 * Works through stored webhook events after they were acknowledged: oldest first, each through
 * its topic's handler; the outcomes of a pass, each with its event's new state, are written
 * together in one transaction (a group commit; one the database refuses is written event by
 * event, so a poison event fails alone).
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
    // One pass reads each shop's settings once, and writes its outcomes in one commit.
    const pass: Pass = { shops: new Map(), redactions: new Map(), pending: [], subjects: new Set() };
    for (const event of events) {
      // Claimed this often, its end was never written (a crash, or the database refused even the
      // failure): given up on rather than handled again.
      if (event.attempts > MAX_EVENT_ATTEMPTS) await this.failed(event, new Error(`claimed ${event.attempts} times without its end being written`), null);
      else await this.handle(event, pass);
      // Let waiting webhook requests in between events: acknowledging comes before processing.
      await new Promise((r) => setImmediate(r));
    }
    // Not written if the process dies first: those events are claimed again after the lease and
    // handled again (a message is scheduled under its key, never twice).
    await this.write(pass);
    return events.length;
  }

  /** Writes the pass's pending outcomes in one commit; an event whose outcome the database refuses fails alone. */
  private async write(pass: Pass): Promise<void> {
    const batch = pass.pending.splice(0);
    pass.subjects.clear();
    if (batch.length === 0) return;
    const errors = await writeOutcomes(this.ctx.database, batch);
    let scheduled = false;
    for (const [i, b] of batch.entries()) {
      const err = errors[i];
      // Refused by the database (a value it cannot hold): an attempt like a handler's error.
      if (err) await this.failed(b.event, err, b.found.traces);
      else {
        scheduled ||= !!b.outcome.deliveries?.length;
        this.handled(b.event, b.outcome, b.log);
      }
    }
    // The delivery worker is woken by the commit that scheduled messages, not left to its poll.
    if (scheduled) this.onScheduled();
  }

  private logOf(event: StoredEvent): Logger {
    return this.ctx.log.child({ shop: event.shopDomain, topic: event.topic, eventId: event.eventKey });
  }

  private handled(event: StoredEvent, outcome: EventOutcome, log?: Logger): void {
    this.metrics.events.inc({ state: outcome.state });
    if (this.ctx.log.isLevelEnabled("debug"))
      (log ?? this.logOf(event)).debug({ state: outcome.state, note: outcome.note, scheduled: outcome.deliveries?.length ?? 0 }, "event handled");
  }

  private async handle(event: StoredEvent, pass: Pass): Promise<void> {
    const { shops, redactions } = pass;
    // A child logger costs about 10 µs an event (a CPU profile): made only when a line may be logged.
    let child: Logger | undefined;
    const log = () => (child ??= this.logOf(event));
    let outcome: EventOutcome;
    let customerId: string | null = null;
    let traces: string | null = null;
    let subjects: string[] = [];
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
      // Handlers read what earlier outcomes write: an event about a subject a pending outcome is
      // about, or one whose handler writes for itself (compliance, app topics), waits for their commit.
      subjects = subjectsOf(event.topic, payload, customerId, traces);
      if (pass.pending.length > 0 && (!entry?.needsShop || subjects.some((k) => pass.subjects.has(k)))) await this.write(pass);
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
    // The findable facts go only on the delivery log's rows: read from the payload only for an outcome that writes some.
    const search = outcome.deliveries?.length || outcome.unsent ? searchFactsOf(event.topic, payload ?? {}) : undefined;
    pass.pending.push({ event, found: { customerId, traces, search }, outcome, at: this.ctx.clock.now(), log: child });
    // An outcome that is only the event's new state writes nothing a handler reads.
    if (outcome.deliveries?.length || outcome.close?.length || outcome.supersede || outcome.version || outcome.order) for (const k of subjects) pass.subjects.add(k);
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
