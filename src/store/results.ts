import { currencyDecimals, fromMinor, toMinor } from "../automations/money";
import type { Db } from "./db";

/** The states a message can end in that the results count. */
export const RESULT_STATES = ["sent", "skipped", "failed"] as const;
export type ResultState = (typeof RESULT_STATES)[number];

export interface ShopResults {
  /** UTC days, oldest first. */
  days: string[];
  /** Per automation, per state, one count per day. */
  automations: Record<string, Record<ResultState, number[]>>;
  recovered: { orders: number; revenue: { currency: string; amount: string }[]; daily: number[] };
  /** Per automation, why messages were skipped or failed, most frequent first (the reason as recorded). */
  reasons: Record<string, { state: "skipped" | "failed"; reason: string; count: number }[]>;
}

const DAY_MS = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** The results the admin charts: how each automation's messages ended, and what recalls recovered. */
export class ResultsStore {
  constructor(private readonly db: Db) {}

  /** The last `days` days up to `now`, by the day each message reached its state. */
  async forShop(shopDomain: string, now: Date, days: number): Promise<ShopResults> {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * DAY_MS);
    const dayList = Array.from({ length: days }, (_, i) => dayOf(new Date(start.getTime() + i * DAY_MS)));
    const index = new Map(dayList.map((d, i) => [d, i]));
    const automations: ShopResults["automations"] = {};
    for (const a of ["welcome", "abandoned", "receipt", "shipping", "delivery", "payment_reminder", "manual"]) automations[a] = emptyCounts(days);
    // Three narrow columns per message, counted here: day buckets in SQL differ by database (and
    // by how the SQLite adapter stores times), and a month of one shop's messages is small.
    const rows = await this.db.delivery.findMany({
      where: { shopDomain, state: { in: [...RESULT_STATES] }, updatedAt: { gte: start } },
      select: { automation: true, state: true, updatedAt: true, lastError: true },
    });
    const reasonCounts = new Map<string, { automation: string; state: "skipped" | "failed"; reason: string; count: number }>();
    for (const r of rows) {
      const i = index.get(dayOf(r.updatedAt));
      if (i !== undefined) (automations[r.automation] ??= emptyCounts(days))[r.state as ResultState][i]! += 1;
      if (r.state !== "sent" && r.lastError) {
        const key = `${r.automation}\n${r.state}\n${r.lastError}`;
        const hit = reasonCounts.get(key) ?? { automation: r.automation, state: r.state as "skipped" | "failed", reason: r.lastError, count: 0 };
        hit.count++;
        reasonCounts.set(key, hit);
      }
    }
    const reasons: ShopResults["reasons"] = {};
    for (const { automation, ...rest } of [...reasonCounts.values()].sort((a, b) => b.count - a.count)) (reasons[automation] ??= []).push(rest);
    const recoveries = await this.db.recovery.findMany({ where: { shopDomain, recoveredAt: { gte: start } }, select: { total: true, currency: true, recoveredAt: true } });
    const daily = new Array<number>(days).fill(0);
    const sums = new Map<string, bigint>();
    for (const r of recoveries) {
      const i = index.get(dayOf(r.recoveredAt));
      if (i !== undefined) daily[i]! += 1;
      sums.set(r.currency, (sums.get(r.currency) ?? 0n) + toMinor(r.total, currencyDecimals(r.currency)));
    }
    const revenue = [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => ({ currency, amount: fromMinor(minor, currencyDecimals(currency)) }));
    return { days: dayList, automations, recovered: { orders: recoveries.length, revenue, daily }, reasons };
  }
}

function emptyCounts(days: number): Record<ResultState, number[]> {
  return { sent: new Array(days).fill(0), skipped: new Array(days).fill(0), failed: new Array(days).fill(0) };
}
