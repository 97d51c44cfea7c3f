import type { Router } from "express";
import express from "express";
import type { Metrics } from "../metrics";

/** GET /metrics: the app's metrics in Prometheus' text format. */
export function metricsRoutes(metrics: Metrics): Router {
  const router = express.Router();
  router.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
