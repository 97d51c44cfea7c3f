import type { Router } from "express";
import express from "express";
import type { AppContext } from "../context";
import type { Metrics } from "../metrics";

/** How long /healthz waits for the database: a monitor wants an answer, not a hung request. */
export const HEALTH_DEADLINE_MS = 1_000;
/** How long the write probe may wait for SQLite's write lock (within the deadline). */
const PROBE_BUSY_MS = 500;
/** JoinChat counts as failing when at least this many recent sends went out and this share of them failed. */
const FAILING_MIN_SENDS = 5;
const FAILING_RATE = 0.5;
/** Work due for longer than this is backing up: a handled event or a sent message takes seconds. */
const BACKLOG_AGE_S = 120;

/** How long the oldest stored event and the oldest message waiting to go out have been due, in seconds (0: none waits). */
export async function backlogAges(ctx: AppContext, now: Date): Promise<{ event: number; message: number }> {
  const [event, message] = await Promise.all([ctx.events.oldestDue(now), ctx.deliveries.oldestDue(now)]);
  const age = (d: Date | null) => (d ? Math.max(0, (now.getTime() - d.getTime()) / 1000) : 0);
  return { event: age(event), message: age(message) };
}

class HealthTimeoutError extends Error {
  readonly name = "HealthTimeoutError";
  constructor() {
    super(`database did not answer within ${HEALTH_DEADLINE_MS} ms`);
  }
}

/**
 * GET /healthz: what is wrong, told apart. `status` is "down" (503) when the database cannot take
 * a write now (locked by another process, read-only, its disk full, not answering): the probe
 * runs where writes run (on SQLite the writer thread), never on the event loop, and the answer
 * comes within the deadline. "degraded" (200: the process works, something it depends on does not) when JoinChat
 * refuses or fails most recent sends, or stored events or messages wait past their time; else
 * "up". The JoinChat figures are this process's own sends (a ROLE=web process sends none).
 */
export function healthRoutes(ctx: AppContext, metrics: Metrics): Router {
  const router = express.Router();
  router.get("/healthz", async (_req, res) => {
    const now = ctx.clock.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HealthTimeoutError()), HEALTH_DEADLINE_MS);
    });
    let ages: { event: number; message: number };
    try {
      await Promise.race([ctx.database.probeWrite(PROBE_BUSY_MS), deadline]);
      ages = await Promise.race([backlogAges(ctx, now), deadline]);
    } catch (err) {
      return void res.status(503).json({ ok: false, status: "down", database: "down", error: (err as Error).message.split("\n")[0] });
    } finally {
      clearTimeout(timer);
    }
    const backlog = { oldestDueEventAgeSeconds: Math.round(ages.event), oldestDueMessageAgeSeconds: Math.round(ages.message) };
    const backingUp = backlog.oldestDueEventAgeSeconds > BACKLOG_AGE_S || backlog.oldestDueMessageAgeSeconds > BACKLOG_AGE_S;
    const { sends, failures } = metrics.recentSends.summary(now.getTime());
    const failureRate = sends ? Math.round((failures / sends) * 100) / 100 : 0;
    const joinchatState = ctx.config.ROLE === "web" ? "not sending from this process" : sends >= FAILING_MIN_SENDS && failureRate >= FAILING_RATE ? "failing" : "ok";
    const degraded = joinchatState === "failing" || backingUp;
    res.json({
      ok: true,
      status: degraded ? "degraded" : "up",
      database: "up",
      joinchat: { state: joinchatState, recentSends: sends, recentFailures: failures, failureRate },
      backlog: { state: backingUp ? "backing up" : "ok", ...backlog },
      // Shops whose promotions this process's worker last found paused (too many refused): the shops' own concern, not the app's health.
      promotions: { pausedShops: metrics.pausedShops.size },
    });
  });
  return router;
}
