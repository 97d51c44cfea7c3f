import express from "express";
import type { AppContext } from "../context";
import { healthRoutes } from "./health";

/** The Express app: routes only; every piece of work is in the layers below. */
export function createHttpApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", true);
  app.use(healthRoutes(ctx.db));
  app.use((_req, res) => void res.status(404).json({ error: "not found" }));
  return app;
}
