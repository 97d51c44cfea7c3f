import { Router, type Request } from "express";
import type { AppContext } from "../context";
import { plainReason } from "../policy/reasons";
import { maskStoredRecipient } from "../recipients/mask";
import { localDateTime, rangeBounds, type DayRange } from "../store/local-days";
import { countsUnder } from "../store/results";
import { shopSettingsSchema } from "../store/shop-settings";
import { parse } from "./admin-api";
import { requireSessionToken, type AdminLocals } from "./admin-auth";
import { toCsv, type CsvCell } from "../csv";
import { rangeOf, rangeQuery, shopTimeZone } from "./results-range";
import type { Response } from "express";

type AdminResponse = Response<unknown, AdminLocals>;

/** Sends `csv` as a download named for the shop and the range. */
function sendCsv(res: AdminResponse, what: string, range: DayRange, csv: string): void {
  const name = `${res.locals.shop.replace(/\.myshopify\.com$/, "")}-${what}-${range.from}-to-${range.to}.csv`;
  res.set({ "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store" }).send(csv);
}

/**
 * The Results' exports, as the admin's Export buttons download them: text/csv for the range asked
 * (`?days=` or `?from=&to=`, as GET /admin/api/results), times in the shop's zone. Recipients are
 * masked as the delivery log shows them; the rest is what Results count.
 */
export function resultsExportRoutes(ctx: AppContext): Router {
  const router = Router();
  const auth = requireSessionToken(ctx);
  const rangeFor = async (req: Request, res: AdminResponse) => rangeOf(parse(rangeQuery, req.query), ctx.clock.now(), await shopTimeZone(ctx, res.locals.shop));

  router.get("/admin/api/results/messages.csv", auth, async (req: Request, res: AdminResponse) => {
    const range = await rangeFor(req, res);
    const { start, end } = rangeBounds(range);
    const rows = await ctx.results.messagesIn(res.locals.shop, start, end);
    const clicks = await ctx.clicks.perMessage(rows.map((r) => r.id));
    const at = (d: Date | null) => (d ? localDateTime(d, range.timeZone) : null);
    const lines: CsvCell[][] = rows.map((r) => [
      at(r.updatedAt),
      r.automation,
      r.state,
      maskStoredRecipient(r.recipient),
      at(r.sentAt),
      r.tag,
      clicks.get(r.id) ?? 0,
      r.state === "sent" ? null : plainReason(r.reasonCode, r.lastError),
      r.id,
    ]);
    sendCsv(res, "messages", range, toCsv([`last change (${range.timeZone})`, "automation", "state", "recipient", "sent at", "tag", "clicks", "reason", "message id"], lines));
  });

  router.get("/admin/api/results/orders.csv", auth, async (req: Request, res: AdminResponse) => {
    const range = await rangeFor(req, res);
    const { start, end } = rangeBounds(range);
    const shop = await ctx.shops.find(res.locals.shop);
    const rule = (shop?.settings ?? shopSettingsSchema.parse({})).results;
    const rows = await ctx.results.recordedOrders(res.locals.shop, start, end);
    const at = (d: Date | null) => (d ? localDateTime(d, range.timeZone) : null);
    const lines: CsvCell[][] = rows.map((r) => [
      at(r.recoveredAt),
      r.orderName,
      r.orderId,
      r.total,
      r.currency,
      r.paidAt ? "paid" : "pending",
      at(r.paidAt),
      r.strict ? "yes" : "no",
      at(r.recallSentAt),
      at(r.clickedAt),
      countsUnder(rule, r) ? "yes" : "no",
    ]);
    sendCsv(
      res,
      "orders",
      range,
      toCsv(
        [
          `placed (${range.timeZone})`,
          "order",
          "order id",
          "total",
          "currency",
          "payment",
          "paid at",
          "completed the recalled checkout",
          "recall sent at",
          "clicked at",
          `counted (${rule.attribution} rule)`,
        ],
        lines,
      ),
    );
  });
  return router;
}
