import type { Router } from "express";
import express from "express";
import type { Database } from "../store/db";

/** How long /healthz waits for the database: a monitor wants an answer, not a hung request. */
export const HEALTH_DEADLINE_MS = 1_000;
/** How long the write probe may wait for SQLite's write lock (within the deadline). */
const PROBE_BUSY_MS = 500;

class HealthTimeoutError extends Error {
  readonly name = "HealthTimeoutError";
  constructor() {
    super(`database did not answer within ${HEALTH_DEADLINE_MS} ms`);
  }
}

/**
 * GET /healthz: the process answers and the database could take a write now. The probe runs
 * where writes run (on SQLite the writer thread), never on the event loop, so a file another
 * process holds makes this answer 503 within the deadline instead of stalling every request.
 */
export function healthRoutes(database: Database): Router {
  const router = express.Router();
  router.get("/healthz", async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HealthTimeoutError()), HEALTH_DEADLINE_MS);
    });
    try {
      await Promise.race([database.probeWrite(PROBE_BUSY_MS), deadline]);
      res.json({ ok: true, database: "up" });
    } catch (err) {
      res.status(503).json({ ok: false, database: "down", error: (err as Error).message.split("\n")[0] });
    } finally {
      clearTimeout(timer);
    }
  });
  return router;
}
