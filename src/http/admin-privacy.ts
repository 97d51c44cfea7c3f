import { Router, type Request, type Response } from "express";
import type { AppContext } from "../context";
import { requireSessionToken, type AdminLocals } from "./admin-auth";

type AdminResponse = Response<unknown, AdminLocals>;

/**
 * customers/data_request reports for the merchant (who must hand them to the customer):
 * `GET /admin/api/data-requests` lists them, `GET /admin/api/data-requests/:id` is one report as
 * a JSON file to download. Only the shop the session token names.
 */
export function adminPrivacyRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/admin/api/data-requests", requireSessionToken(ctx));
  router.get("/admin/api/data-requests", async (_req: Request, res: AdminResponse) => {
    const rows = await ctx.compliance.dataRequests(res.locals.shop);
    res.json({ requests: rows.map((r) => ({ id: r.id, customerId: r.customerId, receivedAt: r.createdAt.toISOString() })) });
  });
  router.get("/admin/api/data-requests/:id", async (req: Request<{ id: string }>, res: AdminResponse) => {
    const row = await ctx.compliance.dataRequest(res.locals.shop, req.params.id);
    if (!row) return void res.status(404).json({ error: "no such data request for this shop" });
    res.setHeader("content-disposition", `attachment; filename="data-request-${row.customerId ?? "unknown"}-${row.createdAt.toISOString().slice(0, 10)}.json"`);
    res.json({ shop: res.locals.shop, receivedAt: row.createdAt.toISOString(), ...row.report });
  });
  return router;
}
