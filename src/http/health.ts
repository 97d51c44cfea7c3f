import type { Router } from "express";
import express from "express";
import type { Db } from "../store/db";

/** GET /healthz: the process answers and the database does too. */
export function healthRoutes(db: Db): Router {
  const router = express.Router();
  router.get("/healthz", async (_req, res) => {
    try {
      await db.$queryRawUnsafe("SELECT 1");
      res.json({ ok: true, database: "up" });
    } catch (err) {
      res.status(503).json({ ok: false, database: "down", error: (err as Error).message.split("\n")[0] });
    }
  });
  return router;
}
