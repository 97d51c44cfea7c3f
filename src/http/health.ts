import type { Router } from "express";
import express from "express";
import type { AppContext } from "../context";
import type { Metrics } from "../metrics";
import type { JoinChatOutage } from "../store/joinchat-outage";

/** How long /healthz waits for the database: a monitor wants an answer, not a hung request. */
export const HEALTH_DEADLINE_MS = 1_000;
/** How long the write probe may wait for SQLite's write lock (within the deadline). */
const PROBE_BUSY_MS = 500;
/** JoinChat counts as failing when at least this many recent sends went out and this share of them failed. */
const FAILING_MIN_SENDS = 5;
const FAILING_RATE = 0.5;
/** Work due for longer than this is backing up: a handled event or a sent message takes seconds. */
const BACKLOG_AGE_S = 120;

export interface BacklogAges {
  /** How long the oldest stored event and the oldest message waiting to go out have been due, in seconds (0: none waits). */
  event: number;
  message: number;
  /** Events claimed longer ago than the processor's lease and still processing: how many, since when (seconds), the first ids. */
  stuck: { count: number; oldestAgeSeconds: number; ids: string[] };
}

export async function backlogAges(ctx: AppContext, now: Date): Promise<BacklogAges> {
  const [event, message, stuck] = await Promise.all([ctx.events.oldestDue(now), ctx.deliveries.oldestDue(now), ctx.events.stuck(now, ctx.config.DELIVERY_LEASE_MS)]);
  const age = (d: Date | null) => (d ? Math.max(0, (now.getTime() - d.getTime()) / 1000) : 0);
  return { event: age(event), message: age(message), stuck: { count: stuck.count, oldestAgeSeconds: age(stuck.since), ids: stuck.ids } };
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
 * comes within the deadline. "degraded" (200: the process works, something it depends on does
 * not) when JoinChat is unreachable (the workers' outage record, since when), refuses or fails
 * most recent sends, stored events or messages wait past their time, or events stay processing
 * past the processor's lease (claimed, never finished); else
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
    let ages: BacklogAges;
    let outage: JoinChatOutage | null;
    try {
      await Promise.race([ctx.database.probeWrite(PROBE_BUSY_MS), deadline]);
      [ages, outage] = await Promise.race([Promise.all([backlogAges(ctx, now), ctx.joinchatOutage.current(now)]), deadline]);
    } catch (err) {
      return void res.status(503).json({ ok: false, status: "down", database: "down", error: (err as Error).message.split("\n")[0] });
    } finally {
      clearTimeout(timer);
    }
    const stuckEvents = { ...ages.stuck, oldestAgeSeconds: Math.round(ages.stuck.oldestAgeSeconds) };
    const backlog = { oldestDueEventAgeSeconds: Math.round(ages.event), oldestDueMessageAgeSeconds: Math.round(ages.message), stuckEvents };
    const stuck = stuckEvents.count > 0;
    const backingUp = backlog.oldestDueEventAgeSeconds > BACKLOG_AGE_S || backlog.oldestDueMessageAgeSeconds > BACKLOG_AGE_S;
    const { sends, failures } = metrics.recentSends.summary(now.getTime());
    const failureRate = sends ? Math.round((failures / sends) * 100) / 100 : 0;
    // Unreachable: the workers (of any process) found JoinChat down and are probing it.
    const joinchatState = outage
      ? "unreachable"
      : ctx.config.ROLE === "web"
        ? "not sending from this process"
        : sends >= FAILING_MIN_SENDS && failureRate >= FAILING_RATE
          ? "failing"
          : "ok";
    const degraded = outage !== null || joinchatState === "failing" || backingUp || stuck;
    res.json({
      ok: true,
      status: degraded ? "degraded" : "up",
      database: "up",
      joinchat: {
        state: joinchatState,
        ...(outage ? { unreachableSince: outage.since.toISOString(), lastError: outage.lastError, lastProbeAt: outage.lastProbeAt.toISOString() } : {}),
        recentSends: sends,
        recentFailures: failures,
        failureRate,
      },
      backlog: { state: stuck ? "events stuck in processing" : backingUp ? "backing up" : "ok", ...backlog },
      // Shops whose promotions this process's worker last found paused (too many refused): the shops' own concern, not the app's health.
      promotions: { pausedShops: metrics.pausedShops.size },
    });
  });
  return router;
}
