import type { Router } from "express";
import express from "express";

type Labels = Record<string, string>;

/** A Prometheus counter: a total per label set. */
export class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`).join(",");
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, v] of this.values) lines.push(`${this.name}${key ? `{${key}}` : ""} ${v}`);
    return lines.join("\n");
  }
}

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

/** The app's metrics, in-process; gauges read from the database at scrape time. */
export class Metrics {
  /** Filled by the delivery worker; empty in a ROLE=web process. */
  readonly recentSends = new RecentSends();
  readonly webhooks = new Counter("joinchat_webhooks_total", "Webhooks answered, by outcome (stored, duplicate, forged, malformed, ...)");
  readonly sends = new Counter("joinchat_sends_total", "Send attempts to JoinChat, by result (sent, retry, failed, refused: JoinChat answered success false, skipped)");
  readonly events = new Counter("joinchat_events_total", "Stored webhook events worked through, by state");
}

export function metricsRoutes(metrics: Metrics, gauges: () => Promise<string>): Router {
  const router = express.Router();
  router.get("/metrics", async (_req, res) => {
    const parts = [metrics.webhooks.render(), metrics.sends.render(), metrics.events.render(), await gauges()];
    res.type("text/plain; version=0.0.4").send(parts.join("\n") + "\n");
  });
  return router;
}
