import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AppContext } from "../context";
import { RequestError } from "../errors";
import { joinchatUuidSchema } from "../recipients/uuid";
import { allSubscribers, removeSubscriber, subscriberMessages, subscriberPage } from "../recipients/subscribers";
import { subscribersCsv } from "../recipients/subscribers-csv";
import { requireSessionToken, type AdminLocals } from "./admin-auth";

type AdminResponse = Response<unknown, AdminLocals>;

const searchSchema = z.string().trim().max(200, "search: at most 200 characters").optional();
const pageQuery = z.object({
  search: searchSchema,
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new RequestError(400, r.error.issues[0]!.message, r.error.issues[0]!.path.join(".") || undefined);
}

const uuidOf = (req: Request<{ uuid: string }>) => parse(joinchatUuidSchema, req.params.uuid);

/**
 * The shop's subscribers, the shoppers who opted in to Messenger (its uuid links), for the
 * admin's Subscribers section: `GET /admin/api/subscribers` (a page, searchable),
 * `GET /admin/api/subscribers.csv` (all of them as a file), `GET .../:uuid/messages`,
 * `DELETE .../:uuid` (as the shopper's own unlink). Only the shop the session token names.
 */
export function adminSubscriberRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(["/admin/api/subscribers", "/admin/api/subscribers.csv"], requireSessionToken(ctx));

  router.get("/admin/api/subscribers", async (req: Request, res: AdminResponse) => {
    res.json(await subscriberPage(ctx, res.locals.shop, parse(pageQuery, req.query)));
  });

  router.get("/admin/api/subscribers.csv", async (req: Request, res: AdminResponse) => {
    const { search } = parse(z.object({ search: searchSchema }), req.query);
    const csv = subscribersCsv(await allSubscribers(ctx, res.locals.shop, search));
    const day = ctx.clock.now().toISOString().slice(0, 10);
    res.setHeader("content-type", "text/csv; charset=utf-8");
    res.setHeader("content-disposition", `attachment; filename="subscribers-${day}.csv"`);
    res.setHeader("cache-control", "no-store");
    res.send(csv);
  });

  router.get("/admin/api/subscribers/:uuid/messages", async (req: Request<{ uuid: string }>, res: AdminResponse) => {
    const messages = await subscriberMessages(ctx, res.locals.shop, uuidOf(req));
    if (!messages) throw new RequestError(404, "no such subscriber");
    res.json({ messages });
  });

  router.delete("/admin/api/subscribers/:uuid", async (req: Request<{ uuid: string }>, res: AdminResponse) => {
    if (!(await removeSubscriber(ctx, res.locals.shop, uuidOf(req), "merchant"))) throw new RequestError(404, "no such subscriber");
    res.json({ ok: true, removed: true });
  });
  return router;
}
