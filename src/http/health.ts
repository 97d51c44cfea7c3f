import type { Router } from "express";
import express from "express";
import type { AppContext } from "../context";
import type { Metrics } from "./metrics";

/** JoinChat counts as failing when at least this many recent sends went out and this share of them failed. */
const FAILING_MIN_SENDS = 5;
const FAILING_RATE = 0.5;
/** Work due for longer than this is backing up: a handled event or a sent message takes seconds. */
const BACKLOG_AGE_S = 120;

/**
 * GET /healthz: what is wrong, told apart. `status` is "down" (503) when the database does not
 * answer, "degraded" (200: the process works, something it depends on does not) when JoinChat
 * refuses or fails most recent sends or when stored events or messages wait past their time,
 * else "up". The JoinChat figures are this process's own sends (a ROLE=web process sends none).
 */
export function healthRoutes(ctx: AppContext, metrics: Metrics): Router {
  const router = express.Router();
  router.get("/healthz", async (_req, res) => {
    const now = ctx.clock.now();
    let oldestEvent: Date | null;
    let oldestMessage: Date | null;
    try {
      [oldestEvent, oldestMessage] = await Promise.all([ctx.events.oldestDue(now), ctx.deliveries.oldestDue(now)]);
    } catch (err) {
      return void res.status(503).json({ ok: false, status: "down", database: "down", error: (err as Error).message.split("\n")[0] });
    }
    const age = (d: Date | null) => (d ? Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000)) : 0);
    const backlog = { oldestDueEventAgeSeconds: age(oldestEvent), oldestDueMessageAgeSeconds: age(oldestMessage) };
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
    });
  });
  return router;
}
