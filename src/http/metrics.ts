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

/** The outcomes of this process's recent sends to JoinChat (the last few minutes), for /healthz. */
export class RecentSends {
  private readonly outcomes: { at: number; ok: boolean }[] = [];
  constructor(private readonly windowMs = 5 * 60_000) {}

  record(ok: boolean, at = Date.now()): void {
    this.outcomes.push({ at, ok });
    this.prune(at);
  }

  /** Sends and failures (network errors, timeouts, 5xx, refusals) within the window. */
  summary(at = Date.now()): { sends: number; failures: number } {
    this.prune(at);
    return { sends: this.outcomes.length, failures: this.outcomes.filter((o) => !o.ok).length };
  }

  private prune(at: number): void {
    let drop = 0;
    while (drop < this.outcomes.length && this.outcomes[drop]!.at < at - this.windowMs) drop++;
    if (drop) this.outcomes.splice(0, drop);
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
