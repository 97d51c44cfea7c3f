import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The outcomes of this process's recent sends to JoinChat (the last few minutes), for /healthz:
 * counted per second in a ring, so recording one is O(1) at thousands of sends a second.
 */
export class RecentSends {
  private readonly seconds: number;
  private readonly buckets: { second: number; sends: number; failures: number }[];
  constructor(windowMs = 5 * 60_000) {
    this.seconds = Math.ceil(windowMs / 1000);
    this.buckets = Array.from({ length: this.seconds }, () => ({ second: -1, sends: 0, failures: 0 }));
  }

  record(ok: boolean, at = Date.now()): void {
    const second = Math.floor(at / 1000);
    const b = this.buckets[second % this.seconds]!;
    if (b.second !== second) Object.assign(b, { second, sends: 0, failures: 0 });
    b.sends++;
    if (!ok) b.failures++;
  }

  /** Sends and failures (network errors, timeouts, 5xx, refusals) within the window. */
  summary(at = Date.now()): { sends: number; failures: number } {
    const now = Math.floor(at / 1000);
    let sends = 0;
    let failures = 0;
    for (const b of this.buckets) {
      if (b.second > now - this.seconds && b.second <= now) {
        sends += b.sends;
        failures += b.failures;
      }
    }
    return { sends, failures };
  }
}

/** Database figures read at scrape time: queue depths and the oldest due item's age. */
export interface ScrapeGauges {
  events: Record<string, number>;
  deliveries: Record<string, number>;
  oldestDueEventAgeSeconds: number;
  oldestDueMessageAgeSeconds: number;
  /** How long JoinChat has been unreachable (the workers' outage record), 0 while it answers. */
  joinchatUnreachableSeconds: number;
  stuckEvents: number;
  oldestStuckEventAgeSeconds: number;
}

/**
 * The app's metrics, with prom-client: counters and histograms kept in-process, gauges read from
 * the database at scrape time, and the default process metrics (CPU, memory, event loop lag, GC),
 * so the standard Node.js dashboards work. One registry per app (tests run several in a process).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly webhooks = new Counter({
    name: "joinchat_webhooks_total",
    help: "Webhooks answered, by outcome (stored, duplicate, forged, malformed, ...)",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  readonly sends = new Counter({
    name: "joinchat_sends_total",
    help: "Send attempts to JoinChat, by result (sent, retry, failed, refused: JoinChat answered success false, skipped)",
    labelNames: ["result"],
    registers: [this.registry],
  });
  readonly events = new Counter({ name: "joinchat_events_total", help: "Stored webhook events worked through, by state", labelNames: ["state"], registers: [this.registry] });
  readonly webhookAckSeconds = new Histogram({
    name: "joinchat_webhook_ack_seconds",
    help: "Time from a webhook's arrival to its answer (stored durably first), by outcome",
    labelNames: ["outcome"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly sendSeconds = new Histogram({
    name: "joinchat_send_seconds",
    help: "Time one call to JoinChat's send API took, by result",
    labelNames: ["result"],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Filled by the delivery worker; empty in a ROLE=web process. */
  readonly recentSends = new RecentSends();
  /** Shops whose promotions this process's worker last found paused (too many refused, src/policy/promotion-pause.ts). */
  readonly pausedShops = new Set<string>();

  constructor(read?: () => Promise<ScrapeGauges>) {
    collectDefaultMetrics({ register: this.registry });
    if (!read) return;
    // One database read per scrape, shared by the gauges below.
    let scrape: Promise<ScrapeGauges> | null = null;
    const current = () => (scrape ??= read().finally(() => setImmediate(() => (scrape = null))));
    const register = [this.registry];
    const recent = this.recentSends;
    new Gauge({
      name: "joinchat_events",
      help: "Stored webhook events by state",
      labelNames: ["state"],
      registers: register,
      async collect() {
        this.reset();
        for (const [state, n] of Object.entries((await current()).events)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: "joinchat_deliveries",
      help: "Messages by state (the queue depth is state scheduled)",
      labelNames: ["state"],
      registers: register,
      async collect() {
        this.reset();
        for (const [state, n] of Object.entries((await current()).deliveries)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: "joinchat_oldest_due_event_age_seconds",
      help: "How long the oldest stored event waiting to be handled has been due",
      registers: register,
      async collect() {
        this.set((await current()).oldestDueEventAgeSeconds);
      },
    });
    new Gauge({
      name: "joinchat_oldest_due_message_age_seconds",
      help: "How long the oldest message waiting to be sent has been due",
      registers: register,
      async collect() {
        this.set((await current()).oldestDueMessageAgeSeconds);
      },
    });
    new Gauge({
      name: "joinchat_unreachable_seconds",
      help: "How long the delivery workers have found JoinChat unreachable (probing it, messages waiting); 0 while it answers",
      registers: register,
      async collect() {
        this.set((await current()).joinchatUnreachableSeconds);
      },
    });
    new Gauge({
      name: "joinchat_stuck_events",
      help: "Stored webhook events claimed longer ago than the processor's lease and still processing",
      registers: register,
      async collect() {
        this.set((await current()).stuckEvents);
      },
    });
    new Gauge({
      name: "joinchat_oldest_stuck_event_age_seconds",
      help: "How long ago the oldest stuck event was claimed",
      registers: register,
      async collect() {
        this.set((await current()).oldestStuckEventAgeSeconds);
      },
    });
    new Gauge({
      name: "joinchat_recent_sends",
      help: "Sends to JoinChat by this process in the last 5 minutes",
      registers: register,
      collect() {
        this.set(recent.summary().sends);
      },
    });
    const paused = this.pausedShops;
    new Gauge({
      name: "joinchat_shops_promotions_paused",
      help: "Shops whose promotions this process's worker last found paused: JoinChat refused too many of them in the last 24 hours",
      registers: register,
      collect() {
        this.set(paused.size);
      },
    });
    new Gauge({
      name: "joinchat_recent_send_failures",
      help: "Of those, the ones that failed or were refused",
      registers: register,
      collect() {
        this.set(recent.summary().failures);
      },
    });
  }
}
