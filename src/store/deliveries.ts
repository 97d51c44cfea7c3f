import type { Database, Db } from "./db";
import type { Provider } from "../config/database-url";
import { recipientKeyOf, type PlannedDelivery } from "./delivery-plan";

export type DeliveryState = "scheduled" | "sending" | "sent" | "failed" | "cancelled" | "skipped";

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
  createdAt: Date;
}

const toDate = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

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

  /**
   * Claims up to `limit` due rows for `workerId` in one statement: scheduled rows whose time has
   * come, and rows whose worker's lease ran out. Only the first due row of each recipient, and
   * none of a recipient with a row in flight, so one recipient's messages go out in order; at
   * most `perShop` of one shop per claim, so a large shop cannot starve the others. Only the next
   * due rows (four claims' worth) are considered, which keeps a claim cheap with a deep backlog.
   */
  async claimDue(limit: number, perShop: number, workerId: string, now: Date, leaseMs: number): Promise<ClaimedDelivery[]> {
    const pg = this.provider === "postgresql";
    const staleBefore = new Date(now.getTime() - leaseMs);
    // Placeholders are added in the order they appear in the text (SQLite's "?" is positional).
    const params: unknown[] = [];
    const v = (value: unknown) => (params.push(value), pg ? `$${params.length}` : "?");
    const isDue = (t: string) => `((${t}"state" = 'scheduled' AND ${t}"runAt" <= ${v(now)}) OR (${t}"state" = 'sending' AND ${t}"lockedAt" < ${v(staleBefore)}))`;
    // Each branch reads the (state, runAt) index in order; an OR of the two would sort every due row.
    const window = Math.max(limit * 4, 128);
    const head = `UPDATE "Delivery" SET "state" = 'sending', "lockedAt" = ${v(now)}, "lockedBy" = ${v(workerId)}, "attempts" = "attempts" + 1`;
    const candidates = `
      WITH next AS (
        SELECT * FROM (SELECT "id", "shopDomain", "recipientKey", "runAt", "createdAt" FROM "Delivery"
                       WHERE "state" = 'scheduled' AND "runAt" <= ${v(now)} ORDER BY "runAt" LIMIT ${v(window)}) AS scheduled
        UNION ALL
        SELECT * FROM (SELECT "id", "shopDomain", "recipientKey", "runAt", "createdAt" FROM "Delivery"
                       WHERE "state" = 'sending' AND "lockedAt" < ${v(staleBefore)} LIMIT ${v(window)}) AS abandoned
      ),
      due AS (
        SELECT n.* FROM next n
        WHERE NOT EXISTS (SELECT 1 FROM "Delivery" s WHERE s."recipientKey" = n."recipientKey" AND s."id" <> n."id"
                          AND s."state" = 'sending' AND s."lockedAt" >= ${v(staleBefore)})
      ),
      first_per_recipient AS (
        SELECT "id", "shopDomain", "runAt", "createdAt",
               ROW_NUMBER() OVER (PARTITION BY "recipientKey" ORDER BY "runAt", "createdAt", "id") AS rn FROM due
      ),
      capped AS (
        SELECT "id", "runAt", ROW_NUMBER() OVER (PARTITION BY "shopDomain" ORDER BY "runAt", "createdAt", "id") AS sn
        FROM first_per_recipient WHERE rn = 1
      )
      SELECT "id" FROM capped WHERE sn <= ${v(perShop)} ORDER BY "runAt" LIMIT ${v(limit)}`;
    // On PostgreSQL concurrent workers skip rows another has locked, and the outer condition is
    // re-checked against the row as another worker's commit left it, so no row is claimed twice.
    const picked = pg ? `SELECT "id" FROM "Delivery" WHERE "id" IN (${candidates}) FOR UPDATE SKIP LOCKED` : candidates;
    // SQLite runs the statement alone on its one connection; PostgreSQL re-checks the row after waiting on a lock.
    const sql = `${head} WHERE "id" IN (${picked})${pg ? ` AND ${isDue("")}` : ""}
      RETURNING "id", "shopDomain", "key", "automation", "recipientKey", "recipient", "message", "tag", "promotional", "windowOpenedAt", "attempts", "maxAttempts", "createdAt"`;
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
      promotional: r.promotional === true || r.promotional === 1 || r.promotional === 1n,
      windowOpenedAt: toDate(r.windowOpenedAt),
      attempts: Number(r.attempts),
      maxAttempts: Number(r.maxAttempts),
      createdAt: toDate(r.createdAt)!,
    }));
  }

  /** Why a subject (checkout, cart, order) is over, or null while it is not. */
  async closedReason(shopDomain: string, subjectKey: string): Promise<string | null> {
    const row = await this.db.closedSubject.findUnique({ where: { shopDomain_subjectKey: { shopDomain, subjectKey } } });
    return row?.reason ?? null;
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
   * The three ends of a send attempt. Plain SQL: they run once per message on the hot path, where
   * a Prisma update costs milliseconds (it reads the row back) and one statement costs microseconds.
   */
  private async finish(id: string, set: Record<string, unknown>): Promise<void> {
    const pg = this.provider === "postgresql";
    const params: unknown[] = [];
    const v = (value: unknown) => (params.push(value), pg ? `$${params.length}` : "?");
    const assignments = Object.entries({ ...set, lockedAt: null, updatedAt: new Date() }).map(([column, value]) => `"${column}" = ${v(value)}`);
    await this.database.sql.all(`UPDATE "Delivery" SET ${assignments.join(", ")} WHERE "id" = ${v(id)}`, params);
  }

  async markSent(id: string, sentBody: string, status: number | null, responseBody: string, at: Date, joinchatRecipientId: string | null = null): Promise<void> {
    // lockedBy stays: it tells which worker sent the message.
    await this.finish(id, { state: "sent", sentBody, responseStatus: status, responseBody, sentAt: at, lastError: null, joinchatCode: null, joinchatRecipientId });
  }

  async markRetry(id: string, runAt: Date, error: string, status: number | null, responseBody: string, sentBody: string | null): Promise<void> {
    await this.finish(id, { state: "scheduled", runAt, lastError: error, responseStatus: status, responseBody, sentBody, lockedBy: null });
  }

  /** Ends a row; `joinchatCode` is JoinChat's refusal code when it refused the message. */
  async markEnded(
    id: string,
    state: "failed" | "skipped" | "cancelled",
    error: string,
    answer: { status: number | null; responseBody: string | null; sentBody: string | null; joinchatCode?: string | null } = { status: null, responseBody: null, sentBody: null },
  ): Promise<void> {
    await this.finish(id, {
      state,
      lastError: error,
      responseStatus: answer.status,
      responseBody: answer.responseBody,
      sentBody: answer.sentBody,
      joinchatCode: answer.joinchatCode ?? null,
      lockedBy: null,
    });
  }

  /** Puts failed rows back in the queue, now (the CLI's deliveries:retry). */
  async retryFailed(shopDomain: string, now: Date, id?: string): Promise<number> {
    const r = await this.db.delivery.updateMany({
      where: { shopDomain, state: "failed", ...(id ? { id } : {}) },
      data: { state: "scheduled", runAt: now, attempts: 0, lastError: null },
    });
    return r.count;
  }

  /**
   * One page of the shop's delivery log, newest first, optionally of one state and automation;
   * `before` is the previous page's cursor.
   */
  async page(shopDomain: string, o: { state?: string; automation?: string; before?: string | null; limit: number }) {
    const cursor = o.before ? parseCursor(o.before) : null;
    const rows = await this.db.delivery.findMany({
      where: {
        shopDomain,
        ...(o.state ? { state: o.state } : {}),
        ...(o.automation ? { automation: o.automation } : {}),
        ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: o.limit + 1,
    });
    const more = rows.length > o.limit;
    const page = rows.slice(0, o.limit);
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

/** A page cursor: the last row's creation time (ms) and id. */
function parseCursor(cursor: string): { createdAt: Date; id: string } | null {
  const m = /^(\d{1,15})\.(.+)$/.exec(cursor);
  return m ? { createdAt: new Date(Number(m[1])), id: m[2]! } : null;
}
