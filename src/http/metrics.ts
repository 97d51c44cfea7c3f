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

/** The app's metrics, in-process; gauges read from the database at scrape time. */
export class Metrics {
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
