import type { Database, Db } from "./db";
import type { Provider } from "../config/database-url";
import { recipientKeyOf, type PlannedDelivery } from "./delivery-plan";
import { claimDeliveriesStatement } from "./sql/claim-deliveries";
import { pageDeliveriesStatement, type DeliveryFilter } from "./sql/page-deliveries";
import { DIALECTS, paramList } from "./sql/dialect";
import type { ClaimTime } from "../clock";
import type { ReasonCode } from "../policy/reasons";
import { UNREACHABLE_REASON } from "./keys";

export type DeliveryState = "scheduled" | "sending" | "sent" | "failed" | "cancelled" | "skipped" | "unknown";

/** A claimed row, as the worker needs it. */
export interface ClaimedDelivery {
  id: string;
  shopDomain: string;
  key: string;
  automation: string;
  recipientKey: string;
  /** JSON of the JoinChat recipient. */
  recipient: string;
  message: string;
  tag: string | null;
  promotional: boolean;
  windowOpenedAt: Date | null;
  attempts: number;
  maxAttempts: number;
  /** Earlier sends of it that got no answer (each may have reached the customer). */
  unanswered: number;
  createdAt: Date;
  /** Whether the recipient had another message due when this one was claimed (held back until this one ends). */
  followed: boolean;
}

const toDate = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));
/** A boolean as either database returns it (PostgreSQL: true; SQLite: 1). */
const truthy = (v: unknown): boolean => v === true || v === 1 || v === 1n;

/** The delivery queue and log: one row per message, every state visible and queryable. */
export class DeliveryStore {
  private readonly db: Db;
  private readonly provider: Provider;
  constructor(private readonly database: Database) {
    this.db = database.db;
    this.provider = database.provider;
  }

  /** When the newest applied change of the subject was made (X-Shopify-Triggered-At), if one was. */
  async appliedVersion(shopDomain: string, subjectKey: string): Promise<Date | null> {
    const row = await this.db.subjectVersion.findUnique({ where: { shopDomain_subjectKey: { shopDomain, subjectKey } } });
    return row?.triggeredAt ?? null;
  }

  /** Claims up to `limit` due messages for `workerId` in one statement (src/store/sql/claim-deliveries.ts), due by `now`'s clock. */
  async claimDue(limit: number, perShop: number, workerId: string, now: ClaimTime, leaseMs: number): Promise<ClaimedDelivery[]> {
    const { sql, params } = claimDeliveriesStatement(DIALECTS[this.provider], { limit, perShop, workerId, now, leaseMs });
    const rows = await this.database.sql.all(sql, params);
    return rows.map((r) => ({
      id: r.id as string,
      shopDomain: r.shopDomain as string,
      key: r.key as string,
      automation: r.automation as string,
      recipientKey: r.recipientKey as string,
      recipient: r.recipient as string,
      message: r.message as string,
      tag: (r.tag as string | null) ?? null,
      promotional: truthy(r.promotional),
      windowOpenedAt: toDate(r.windowOpenedAt),
      attempts: Number(r.attempts),
      maxAttempts: Number(r.maxAttempts),
      unanswered: Number(r.unanswered),
      createdAt: toDate(r.createdAt)!,
      followed: truthy(r.followed),
    }));
  }

  /** Why a subject (checkout, cart, order) is over, or null while it is not. */
  async closedReason(shopDomain: string, subjectKey: string): Promise<{ code: ReasonCode; reason: string } | null> {
    const row = await this.db.closedSubject.findUnique({ where: { shopDomain_subjectKey: { shopDomain, subjectKey } } });
    // A subject closed before codes was closed by its order (the only closes of a cart or checkout id then).
    return row ? { code: (row.reasonCode as ReasonCode | null) ?? "order_placed", reason: row.reason } : null;
  }

  /** The recipient an earlier message about `subjectKey` went to (a shipping notice follows its order's receipt). */
  async recipientOfSubject(shopDomain: string, subjectKey: string): Promise<{ recipient: string; customerId: string | null } | null> {
    return this.db.delivery.findFirst({
      where: { shopDomain, subjectKey },
      orderBy: { createdAt: "desc" },
      select: { recipient: true, customerId: true },
    });
  }

  /**
   * The messages about `subjectKey` of the given automations, newest first, as written (the
   * message's JSON): a delivery update reads the tracking link its fulfillment's shipping notice
   * or its order's receipt carried. Few per order, and found by the (shopDomain, subjectKey) index.
   */
  async messagesOfSubject(shopDomain: string, subjectKey: string, automations: string[]): Promise<{ key: string; automation: string; message: string }[]> {
    return this.db.delivery.findMany({
      where: { shopDomain, subjectKey, automation: { in: automations } },
      orderBy: { createdAt: "desc" },
      select: { key: true, automation: true, message: true },
      take: 50,
    });
  }

  /**
   * The three ends of a send attempt. Plain SQL: they run once per message on the hot path, where
   * a Prisma update costs milliseconds (it reads the row back) and one statement costs microseconds.
   */
  private async finish(id: string, set: Record<string, unknown>, counters: { attempts?: -1; unanswered?: 1 } = {}): Promise<void> {
    const { params, v } = paramList(DIALECTS[this.provider]);
    const assignments = Object.entries({ ...set, lockedAt: null, updatedAt: new Date() }).map(([column, value]) => `"${column}" = ${v(value)}`);
    for (const [column, delta] of Object.entries(counters)) assignments.push(`"${column}" = "${column}" + ${delta}`);
    await this.database.sql.all(`UPDATE "Delivery" SET ${assignments.join(", ")} WHERE "id" = ${v(id)}`, params);
  }

  /** `tag`: the tag it went with (null: untagged), which replaces the one planned. */
  async markSent(id: string, sentBody: string, status: number | null, responseBody: string, at: Date, joinchatRecipientId: string | null, tag: string | null): Promise<void> {
    // lockedBy stays: it tells which worker sent the message.
    await this.finish(id, {
      state: "sent",
      sentBody,
      responseStatus: status,
      responseBody,
      sentAt: at,
      lastError: null,
      reasonCode: null,
      joinchatCode: null,
      joinchatRecipientId,
      tag,
    });
  }

  /**
   * Back in the queue at `runAt`. `unanswered`: the send got no answer (it may have gone).
   * `refund`: the try is not counted (a probe of a JoinChat that is down, src/delivery/outage.ts,
   * or a row given back unsent).
   */
  async markRetry(
    id: string,
    runAt: Date,
    reasonCode: ReasonCode | null,
    error: string,
    status: number | null,
    responseBody: string,
    sentBody: string | null,
    o: { unanswered?: boolean; refund?: boolean } = {},
  ): Promise<void> {
    await this.finish(
      id,
      { state: "scheduled", runAt, lastError: error, reasonCode, responseStatus: status, responseBody, sentBody, lockedBy: null },
      { ...(o.refund ? { attempts: -1 as const } : {}), ...(o.unanswered ? { unanswered: 1 as const } : {}) },
    );
  }

  /**
   * JoinChat answers again after an outage: every message that waits for a retry after failing
   * without an answer or with a 5xx is due now, oldest first (its due time becomes when it was
   * queued, so the claim's order by due time is the order they were queued in). Returns how many.
   */
  async releaseAfterOutage(): Promise<number> {
    const r = await this.database.sql.all<{ id: string }>(
      `UPDATE "Delivery" SET "runAt" = "createdAt" WHERE "state" = 'scheduled' AND "attempts" > 0 AND "lastError" IS NOT NULL
         AND ("responseStatus" IS NULL OR "responseStatus" >= 500) RETURNING "id"`,
      [],
    );
    return r.length;
  }

  /**
   * JoinChat answered that it does not know this recipient (10010): their other scheduled
   * promotions (the rest of a recall sequence) are cancelled with the reason; receipts and
   * shipping notices still try, since a new opt-in may have made them reachable again.
   */
  async stopPromotionsTo(recipientKey: string): Promise<number> {
    const r = await this.db.delivery.updateMany({
      where: { recipientKey, state: "scheduled", promotional: true },
      data: { state: "cancelled", lastError: UNREACHABLE_REASON, reasonCode: "unknown_recipient" },
    });
    return r.count;
  }

  /**
   * The shop's promotions and tagged sends JoinChat answered since `since`: sent ones and refused
   * ones (a refusal code recorded), for the pause rule (src/policy/promotion-pause.ts). A sent or
   * refused row's tag is the one it went with (none inside the window). Bounded by creation time
   * too, so the shop's (shopDomain, createdAt) index serves it: a promotion goes out at most its
   * longest delay (30 days) plus a day of window after it was queued.
   */
  async promotionAnswers(shopDomain: string, since: Date): Promise<{ attempted: number; refused: number; since: Date }> {
    const where = {
      shopDomain,
      OR: [{ promotional: true }, { tag: { not: null } }],
      createdAt: { gte: new Date(since.getTime() - 32 * 86_400_000) },
      updatedAt: { gte: since },
    };
    const [sent, refused] = await Promise.all([
      this.db.delivery.count({ where: { ...where, state: "sent" } }),
      this.db.delivery.count({ where: { ...where, state: "failed", joinchatCode: { not: null } } }),
    ]);
    return { attempted: sent + refused, refused, since };
  }

  /** The subject's other scheduled messages of one automation end `skipped` with the reason (a checkout held out). */
  async skipScheduledOf(shopDomain: string, subjectKey: string, automation: string, reasonCode: ReasonCode, reason: string): Promise<number> {
    const r = await this.db.delivery.updateMany({ where: { shopDomain, subjectKey, automation, state: "scheduled" }, data: { state: "skipped", lastError: reason, reasonCode } });
    return r.count;
  }

  /** Ends a row, why as a code and as recorded; `joinchatCode` is JoinChat's refusal code when it refused the message. */
  async markEnded(
    id: string,
    state: "failed" | "skipped" | "cancelled" | "unknown",
    reasonCode: ReasonCode | null,
    error: string,
    answer: { status: number | null; responseBody: string | null; sentBody: string | null; joinchatCode?: string | null; tag?: string | null } = {
      status: null,
      responseBody: null,
      sentBody: null,
    },
  ): Promise<void> {
    await this.finish(id, {
      state,
      lastError: error,
      reasonCode,
      responseStatus: answer.status,
      responseBody: answer.responseBody,
      sentBody: answer.sentBody,
      joinchatCode: answer.joinchatCode ?? null,
      // What it was sent with replaces the tag planned: the pause counts tagged sends by it.
      ...(answer.tag !== undefined ? { tag: answer.tag } : {}),
      lockedBy: null,
    });
  }

  /**
   * Puts failed rows back in the queue, now (the CLI's deliveries:retry, the admin's Retry); with
   * `id`, an `unknown` one too (JoinChat never answered it: the merchant chose to send it again).
   */
  async retryFailed(shopDomain: string, now: Date, id?: string): Promise<number> {
    const r = await this.db.delivery.updateMany({
      where: { shopDomain, ...(id ? { id, state: { in: ["failed", "unknown"] } } : { state: "failed" }) },
      data: { state: "scheduled", runAt: now, attempts: 0, unanswered: 0, lastError: null, reasonCode: null },
    });
    return r.count;
  }

  /**
   * One page of the shop's delivery log, newest first, narrowed by `filter` (by state, automation,
   * order, customer, dates; src/store/sql/page-deliveries.ts); `before` is the previous page's
   * cursor (parseCursor).
   */
  async page(shopDomain: string, filter: DeliveryFilter) {
    const { sql, params } = pageDeliveriesStatement(DIALECTS[this.provider], shopDomain, filter);
    const ids = (await this.database.sql.all<{ id: string }>(sql, params)).map((r) => r.id);
    const more = ids.length > filter.limit;
    const found = await this.db.delivery.findMany({ where: { id: { in: ids.slice(0, filter.limit) } } });
    const byId = new Map(found.map((r) => [r.id, r]));
    // A row deleted between the two reads (a redaction) is left out.
    const page = ids.slice(0, filter.limit).flatMap((id) => byId.get(id) ?? []);
    const last = page.at(-1);
    return { rows: page, next: more && last ? `${last.createdAt.getTime()}.${last.id}` : null };
  }

  /** One of the shop's rows; null for an id of another shop. */
  async findForShop(shopDomain: string, id: string) {
    return this.db.delivery.findFirst({ where: { id, shopDomain } });
  }

  /** Queues one message outside any store event (a test message from the admin), due now. */
  async scheduleNow(shopDomain: string, d: PlannedDelivery) {
    return this.db.delivery.create({ data: this.rowOf(shopDomain, d) });
  }

  /**
   * Records a message its caller sends itself (the CLI's send) as in flight under `workerId`: no
   * worker claims it while the lease runs, and one does if the caller dies before finishing it.
   */
  async createInFlight(shopDomain: string, d: PlannedDelivery, workerId: string, now: Date) {
    return this.db.delivery.create({ data: { ...this.rowOf(shopDomain, d), state: "sending", attempts: 1, lockedAt: now, lockedBy: workerId } });
  }

  private rowOf(shopDomain: string, d: PlannedDelivery) {
    return {
      key: d.key,
      shopDomain,
      automation: d.automation,
      recipientKey: recipientKeyOf(shopDomain, d.recipient),
      recipient: JSON.stringify(d.recipient),
      customerId: d.customerId,
      message: JSON.stringify(d.message),
      tag: d.tag ?? null,
      promotional: d.promotional,
      windowOpenedAt: d.windowOpenedAt,
      subjectKey: d.subjectKey,
      runAt: d.runAt,
    };
  }

  async list(shopDomain: string, limit = 200) {
    return this.db.delivery.findMany({ where: { shopDomain }, orderBy: { createdAt: "desc" }, take: limit });
  }

  /** When the oldest message due to be sent became due; null when none is waiting. */
  async oldestDue(now: Date): Promise<Date | null> {
    const r = await this.db.delivery.aggregate({ where: { state: "scheduled", runAt: { lte: now } }, _min: { runAt: true } });
    return r._min.runAt;
  }

  async countByState(): Promise<Record<string, number>> {
    const groups = await this.db.delivery.groupBy({ by: ["state"], _count: { _all: true } });
    return Object.fromEntries(groups.map((g) => [g.state, g._count._all]));
  }
}

/** Where a page of the delivery log starts: after the row created at `createdAt` with `id`. */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

/** The last moment both databases store (9999-12-31T23:59:59.999Z): a later one is no row's time. */
const LAST_STORABLE_MS = 253_402_300_799_999;

/** A page cursor as `page` hands it out ("<creation time in ms>.<id>"); null for anything else. */
export function parseCursor(cursor: string): PageCursor | null {
  const m = /^(\d{1,15})\.(.+)$/.exec(cursor);
  return m && Number(m[1]) <= LAST_STORABLE_MS ? { createdAt: new Date(Number(m[1])), id: m[2]! } : null;
}
