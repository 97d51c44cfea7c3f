import { currencyDecimals, fromMinor, toMinor } from "../money";
import type { Db } from "./db";
import { DELIVERY_AUTOMATIONS } from "../policy/automations";
import { daysBetween, localDay, rangeBounds, type DayRange } from "./local-days";
import type { ATTRIBUTION_RULES } from "./shop-settings";

export type AttributionRule = (typeof ATTRIBUTION_RULES)[number];

/** The states a message can end in that the results count. */
export const RESULT_STATES = ["sent", "skipped", "failed"] as const;
export type ResultState = (typeof RESULT_STATES)[number];

export interface ShopResults {
  /** The shop's days, oldest first, in `timeZone` (from and to included). */
  days: string[];
  timeZone: string;
  /** Per automation, per state, one count per day. */
  automations: Record<string, Record<ResultState, number[]>>;
  /** Per automation, clicks on its messages' buttons (through the app's redirect), one count per day. */
  clicks: Record<string, number[]>;
  /** Paid orders counted under the shop's attribution rule (`attribution`), by the day they were placed. */
  recovered: { orders: number; revenue: { currency: string; amount: string }[]; daily: number[] };
  /** Orders the rule counts that are not paid yet (bank transfer, cash on delivery): counted in `recovered` once paid. */
  pending: { orders: number; revenue: { currency: string; amount: string }[] };
  attribution: Attribution & { rule: string };
  /** The holdout comparison: checkouts whose first recall came due in the period, by group; null when none was grouped. */
  groups: { recalled: GroupResult; holdout: GroupResult; lift: { points: number; relative: number | null } | null } | null;
  /** Per automation, why messages were skipped or failed, most frequent first (the reason as recorded). */
  /** As recorded: the code (src/policy/reasons.ts), null on rows from before codes, and the recorded text. */
  reasons: Record<string, { state: "skipped" | "failed"; code: string | null; reason: string; count: number }[]>;
  /** Per automation, how many messages were held outside the recipient's 24-hour window. */
  outsideWindow: Record<string, number>;
}

export interface Attribution {
  attribution: AttributionRule;
  windowDays: number;
}

export interface GroupResult {
  checkouts: number;
  /** Checkouts of the group an order completed. */
  orders: number;
  /** orders / checkouts, 0 to 1 (0 for an empty group). */
  conversion: number;
  revenue: { currency: string; amount: string }[];
}

/** The attribution rule in words, as Results state it. */
export function attributionRule(a: Attribution): string {
  const days = `${a.windowDays} day${a.windowDays === 1 ? "" : "s"}`;
  if (a.attribution === "strict") return "Strict: an order counts when it completes the very checkout a recall was sent about.";
  if (a.attribution === "window")
    return `Window: an order counts when the same customer places it within ${days} after a recall was sent to them (completing the recalled checkout or not).`;
  return `Click: an order counts when the same customer places it within ${days} after clicking a button in one of the app's messages.`;
}

const DAY_MS = 86_400_000;

/** A recorded order as the rules read it. */
export interface RecordedOrder {
  strict: boolean;
  recallSentAt: Date | null;
  clickedAt: Date | null;
  recoveredAt: Date;
}

/** Whether the rule counts the order (src/events/outcome-writer.ts records every candidate within the longest window). */
export function countsUnder(a: Attribution, r: RecordedOrder): boolean {
  const within = (from: Date | null) => from !== null && r.recoveredAt.getTime() - from.getTime() <= a.windowDays * DAY_MS;
  if (a.attribution === "strict") return r.strict;
  // A strict one recorded before recallSentAt was kept counts: it followed a recall about its own checkout.
  if (a.attribution === "window") return r.strict || within(r.recallSentAt);
  return within(r.clickedAt);
}

/** The results the admin charts: how each automation's messages ended, and what recalls recovered. */
export class ResultsStore {
  constructor(private readonly db: Db) {}

  /**
   * The group of a checkout whose first recall is due now (src/policy/holdout.ts): `group` unless
   * one was decided before (a retried first recall keeps it). Returns the group that holds.
   */
  async decideGroup(shopDomain: string, subjectKey: string, group: "recalled" | "holdout", at: Date): Promise<string> {
    const row = await this.db.recallGroup.upsert({
      where: { shopDomain_subjectKey: { shopDomain, subjectKey } },
      create: { shopDomain, subjectKey, group, decidedAt: at },
      update: {},
      select: { group: true },
    });
    return row.group;
  }

  /** The checkout's group, if its first recall came due while the shop held some out. */
  async groupOf(shopDomain: string, subjectKey: string): Promise<string | null> {
    return (await this.db.recallGroup.findUnique({ where: { shopDomain_subjectKey: { shopDomain, subjectKey } }, select: { group: true } }))?.group ?? null;
  }

  /** The shop's days of `range`, by the day (in its zone) each message reached its state; orders by the shop's attribution rule. */
  async forShop(shopDomain: string, range: DayRange, attribution: Attribution = { attribution: "strict", windowDays: 7 }): Promise<ShopResults> {
    const { start, end } = rangeBounds(range);
    const dayList = daysBetween(range.from, range.to);
    const index = new Map(dayList.map((d, i) => [d, i]));
    const dayIndex = (at: Date) => index.get(localDay(at, range.timeZone));
    const days = dayList.length;
    const automations: ShopResults["automations"] = {};
    const clicks: ShopResults["clicks"] = {};
    for (const a of DELIVERY_AUTOMATIONS) {
      automations[a] = emptyCounts(days);
      clicks[a] = new Array<number>(days).fill(0);
    }
    // Three narrow columns per message, counted here: day buckets in SQL differ by database (and
    // by how the SQLite adapter stores times, and by zone), and a quarter of one shop's messages is small.
    const rows = await this.db.delivery.findMany({
      where: { shopDomain, state: { in: [...RESULT_STATES] }, updatedAt: { gte: start, lt: end } },
      select: { automation: true, state: true, updatedAt: true, lastError: true, reasonCode: true },
    });
    const reasonCounts = new Map<string, { automation: string; state: "skipped" | "failed"; code: string | null; reason: string; count: number }>();
    for (const r of rows) {
      const i = dayIndex(r.updatedAt);
      if (i !== undefined) (automations[r.automation] ??= emptyCounts(days))[r.state as ResultState][i]! += 1;
      if (r.state !== "sent" && r.lastError) {
        const key = `${r.automation}\n${r.state}\n${r.reasonCode}\n${r.lastError}`;
        const hit = reasonCounts.get(key) ?? { automation: r.automation, state: r.state as "skipped" | "failed", code: r.reasonCode, reason: r.lastError, count: 0 };
        hit.count++;
        reasonCounts.set(key, hit);
      }
    }
    const reasons: ShopResults["reasons"] = {};
    // Held outside the 24-hour window, counted per automation whatever their recorded words.
    const outsideWindow: ShopResults["outsideWindow"] = {};
    for (const r of reasonCounts.values()) if (r.code === "outside_window") outsideWindow[r.automation] = (outsideWindow[r.automation] ?? 0) + r.count;
    for (const { automation, ...rest } of [...reasonCounts.values()].sort((a, b) => b.count - a.count)) (reasons[automation] ??= []).push(rest);
    const clickRows = await this.db.messageClick.findMany({ where: { shopDomain, clickedAt: { gte: start, lt: end } }, select: { automation: true, clickedAt: true } });
    for (const c of clickRows) {
      const i = dayIndex(c.clickedAt);
      if (i !== undefined) (clicks[c.automation] ??= new Array<number>(days).fill(0))[i]! += 1;
    }
    const counted = (await this.recordedOrders(shopDomain, start, end)).filter((r) => countsUnder(attribution, r));
    const paid = counted.filter((r) => r.paidAt !== null);
    const pending = counted.filter((r) => r.paidAt === null);
    const daily = new Array<number>(days).fill(0);
    for (const r of paid) {
      const i = dayIndex(r.recoveredAt);
      if (i !== undefined) daily[i]! += 1;
    }
    return {
      days: dayList,
      timeZone: range.timeZone,
      automations,
      clicks,
      recovered: { orders: paid.length, revenue: revenueOf(paid), daily },
      pending: { orders: pending.length, revenue: revenueOf(pending) },
      attribution: { attribution: attribution.attribution, windowDays: attribution.windowDays, rule: attributionRule(attribution) },
      groups: await this.groups(shopDomain, start, end),
      reasons,
      outsideWindow,
    };
  }

  /** Every message of the shop whose last change (sent, skipped, failed...) is in [start, end), oldest first: what the messages export lists. */
  async messagesIn(shopDomain: string, start: Date, end: Date) {
    return this.db.delivery.findMany({
      where: { shopDomain, updatedAt: { gte: start, lt: end } },
      select: { id: true, automation: true, state: true, recipient: true, tag: true, reasonCode: true, lastError: true, sentAt: true, updatedAt: true },
      orderBy: { updatedAt: "asc" },
    });
  }

  /** Every order recorded in [start, end) (placed then), oldest first: what the orders export lists. */
  async recordedOrders(shopDomain: string, start: Date, end: Date) {
    return this.db.recovery.findMany({
      where: { shopDomain, recoveredAt: { gte: start, lt: end } },
      select: { orderId: true, orderName: true, total: true, currency: true, strict: true, recallSentAt: true, clickedAt: true, paidAt: true, recoveredAt: true },
      orderBy: { recoveredAt: "asc" },
    });
  }

  /** The holdout comparison: conversion of the checkouts grouped in [start, end), recalled against held out. */
  private async groups(shopDomain: string, start: Date, end: Date): Promise<ShopResults["groups"]> {
    const rows = await this.db.recallGroup.findMany({
      where: { shopDomain, decidedAt: { gte: start, lt: end } },
      select: { group: true, orderId: true, total: true, currency: true },
    });
    if (rows.length === 0) return null;
    const of = (group: string): GroupResult => {
      const members = rows.filter((r) => r.group === group);
      const ordered = members.filter((r) => r.orderId !== null && r.total !== null && r.currency !== null) as { total: string; currency: string }[];
      return { checkouts: members.length, orders: ordered.length, conversion: members.length ? ordered.length / members.length : 0, revenue: revenueOf(ordered) };
    };
    const recalled = of("recalled");
    const holdout = of("holdout");
    const lift =
      recalled.checkouts && holdout.checkouts
        ? {
            points: Math.round((recalled.conversion - holdout.conversion) * 1000) / 10,
            relative: holdout.conversion ? Math.round((recalled.conversion / holdout.conversion - 1) * 1000) / 10 : null,
          }
        : null;
    return { recalled, holdout, lift };
  }
}

/** Sums per currency, in each currency's own decimals, never through a float. */
function revenueOf(rows: { total: string; currency: string }[]): { currency: string; amount: string }[] {
  const sums = new Map<string, bigint>();
  for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0n) + toMinor(r.total, currencyDecimals(r.currency)));
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => ({ currency, amount: fromMinor(minor, currencyDecimals(currency)) }));
}

function emptyCounts(days: number): Record<ResultState, number[]> {
  return { sent: new Array(days).fill(0), skipped: new Array(days).fill(0), failed: new Array(days).fill(0) };
}
