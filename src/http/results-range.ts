import { z } from "zod";
import type { AppContext } from "../context";
import { isTimeZone, lastDays, type DayRange } from "../store/local-days";

/** The longest range Results and their exports cover at once. */
export const LONGEST_RANGE_DAYS = 366;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "not a date in the calendar");

/** `?days=N` (the last N days, today included; 30 by default) or `?from=&to=` (days in the shop's zone, both included). */
export const rangeQuery = z
  .object({
    days: z.coerce.number().int("whole days").min(1, "at least 1 day").max(LONGEST_RANGE_DAYS, `at most ${LONGEST_RANGE_DAYS} days`).optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .superRefine((q, c) => {
    if ((q.from === undefined) !== (q.to === undefined)) c.addIssue({ code: "custom", path: [q.from === undefined ? "from" : "to"], message: "give both from and to" });
    if (q.from && q.to) {
      if (q.from > q.to) c.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
      else if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 > LONGEST_RANGE_DAYS)
        c.addIssue({ code: "custom", path: ["to"], message: `at most ${LONGEST_RANGE_DAYS} days after from` });
    }
  });

/** The shop's zone: Shopify's, as read at the admin's load (src/shopify/shop-time-zone.ts); UTC until then. */
export async function shopTimeZone(ctx: AppContext, shop: string): Promise<string> {
  const zone = await ctx.shops.timeZone(shop);
  return zone && isTimeZone(zone) ? zone : "UTC";
}

/** The days a request asks for, in the shop's zone. */
export function rangeOf(q: z.infer<typeof rangeQuery>, now: Date, timeZone: string): DayRange {
  return q.from && q.to ? { from: q.from, to: q.to, timeZone } : lastDays(now, q.days ?? 30, timeZone);
}
