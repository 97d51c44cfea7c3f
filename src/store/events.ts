import type { ClaimTime } from "../clock";
import crypto from "node:crypto";
import type { Database, Db } from "./db";
import type { Provider } from "../config/database-url";
import { claimEventsStatement } from "./sql/claim-events";
import { DIALECTS, type Dialect } from "./sql/dialect";

/** A webhook as received, before it is stored. */
export interface IncomingEvent {
  shopDomain: string;
  topic: string;
  eventKey: string;
  webhookId: string | null;
  apiVersion: string | null;
  triggeredAt: string | null;
  customerId: string | null;
  /** The body as received (checked to be a JSON object in UTF-8), stored as text; null for an event kept as its row alone. */
  payload: Buffer | null;
  /** "received" for work to do; "skipped" for what is only recorded (an unknown topic, a replay). */
  state: "received" | "skipped";
  note: string | null;
}

export interface StoredEvent {
  id: string;
  shopDomain: string;
  topic: string;
  eventKey: string;
  webhookId: string | null;
  /** X-Shopify-Triggered-At as Shopify sent it (ISO 8601), when it did. */
  triggeredAt: string | null;
  customerId: string | null;
  payload: string;
  attempts: number;
  receivedAt: Date;
}

let sequence = 0;
/** Tells apart ids made in the same millisecond with the same counter by two processes. */
const PROCESS_SUFFIX = crypto.randomBytes(6).toString("hex");
/**
 * Event ids sort in arrival order within a process (time, then a counter), so the events of one
 * group-committed batch, which share a receivedAt, are still worked in the order they came.
 */
function orderedId(now: Date): string {
  sequence = (sequence + 1) % 0x1000000;
  return `${now.getTime().toString(36).padStart(9, "0")}${sequence.toString(36).padStart(5, "0")}${PROCESS_SUFFIX}`;
}

/** What makes two deliveries one event: the shop, the topic and the event id (WebhookEvent's unique key). */
const keyOf = (e: Pick<IncomingEvent, "shopDomain" | "topic" | "eventKey">) => `${e.shopDomain}\n${e.topic}\n${e.eventKey}`;

const COLUMNS = ["id", "shopDomain", "topic", "eventKey", "webhookId", "apiVersion", "triggeredAt", "customerId", "state", "note", "receivedAt"] as const;

/** The webhook events aggregate: stored before acknowledgement, worked through by the event processor. */
export class EventStore {
  private readonly db: Db;
  private readonly provider: Provider;
  constructor(private readonly database: Database) {
    this.dialect = DIALECTS[database.provider];
    this.db = database.db;
    this.provider = database.provider;
  }

  private readonly dialect: Dialect;

  private placeholder(i: number): string {
    return this.dialect.placeholder(i);
  }

  /**
   * Stores a batch in one transaction, each event with its payload (WebhookPayload) when it has
   * one; events already stored are left alone. Returns, for each input, whether it was new.
   */
  async insertMany(events: IncomingEvent[], now: Date): Promise<boolean[]> {
    const firstOfKey = new Map<string, number>();
    events.forEach((e, i) => {
      const k = keyOf(e);
      if (!firstOfKey.has(k)) firstOfKey.set(k, i);
    });
    const unique = [...firstOfKey.values()].map((i) => ({ id: orderedId(now), e: events[i]! }));
    const rowOf = ({ id, e }: (typeof unique)[number]) => [id, e.shopDomain, e.topic, e.eventKey, e.webhookId, e.apiVersion, e.triggeredAt, e.customerId, e.state, e.note, now];
    const insertEvents = (rows: number) =>
      `INSERT INTO "WebhookEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${this.valuesList(rows, COLUMNS.length)} ON CONFLICT ("shopDomain", "topic", "eventKey") DO NOTHING`;
    let isNew: Set<string>;
    if (this.database.writePairs) {
      // SQLite: the event, then its payload only if the event was new and has one. The payload's
      // bytes go to the writer thread as they are (moved, not copied) and SQLite takes them as text.
      const payload = `INSERT INTO "WebhookPayload" ("eventId", "payload") SELECT ?, "p" FROM (SELECT CAST(? AS TEXT) AS "p") WHERE "p" IS NOT NULL`;
      const added = await this.database.writePairs(
        insertEvents(1),
        payload,
        unique.map((u) => [rowOf(u), [u.id, u.e.payload]]),
      );
      isNew = new Set(unique.filter((_, i) => added[i]).map(({ e }) => keyOf(e)));
    } else {
      // PostgreSQL: three statements, each for the whole batch: the payloads, the events, then the
      // payloads of events that were already stored are taken back out.
      const carried = unique.filter(({ e }) => e.payload !== null);
      const stored = { sql: `${insertEvents(unique.length)} RETURNING "shopDomain", "topic", "eventKey"`, params: unique.flatMap(rowOf) };
      const statements =
        carried.length === 0
          ? [stored]
          : [
              {
                sql: `INSERT INTO "WebhookPayload" ("eventId", "payload") VALUES ${this.valuesList(carried.length, 2)}`,
                params: carried.flatMap(({ id, e }) => [id, e.payload!.toString("utf8")]),
              },
              stored,
              {
                sql: `DELETE FROM "WebhookPayload" WHERE "eventId" IN (${carried.map((_, i) => this.placeholder(i + 1)).join(", ")}) AND NOT EXISTS (SELECT 1 FROM "WebhookEvent" WHERE "WebhookEvent"."id" = "WebhookPayload"."eventId")`,
                params: carried.map(({ id }) => id),
              },
            ];
      const inserted = (await this.database.writeAll(statements))[statements.indexOf(stored)];
      isNew = new Set(inserted!.map((r) => keyOf(r as Pick<IncomingEvent, "shopDomain" | "topic" | "eventKey">)));
    }
    return events.map((e, i) => {
      const k = keyOf(e);
      return firstOfKey.get(k) === i && isNew.has(k);
    });
  }

  /** "(?, ?), (?, ?)" or "($1, $2), ($3, $4)": `rows` rows of `columns` placeholders. */
  private valuesList(rows: number, columns: number): string {
    return Array.from({ length: rows }, (_, r) => `(${Array.from({ length: columns }, (_, c) => this.placeholder(r * columns + c + 1)).join(", ")})`).join(", ");
  }

  /**
   * Claims up to `limit` events to work on: received ones, those whose worker's lease ran out
   * (a crash mid-event), and failed ones whose retry is due. Oldest first. On PostgreSQL concurrent workers skip each other's rows.
   */
  async claim(limit: number, workerId: string, now: ClaimTime, leaseMs: number): Promise<StoredEvent[]> {
    const { sql, params } = claimEventsStatement(this.dialect, { limit, workerId, now, leaseMs });
    // Through the writer: on SQLite the claim then queues behind the webhook batches on the
    // writer thread's connection instead of waiting for their lock on the event loop.
    const rows = await this.database.write<StoredEvent>(sql, params);
    return rows
      .map((r) => ({ ...r, attempts: Number(r.attempts), receivedAt: new Date(r.receivedAt) }))
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id));
  }

  /** Hands a claimed event back, to be tried again at `runAt`, or gives up on it (runAt null), with the error. */
  async release(id: string, runAt: Date | null, error: string, traces: string | null = null): Promise<void> {
    // updateMany: a redaction may have deleted the event meanwhile.
    await this.db.webhookEvent.updateMany({
      where: { id },
      data: { state: runAt ? "retry" : "failed", runAt, note: error, lockedAt: null, lockedBy: null, ...(traces === null ? {} : { traces }) },
    });
  }

  /** One page of the shop's events in `state` (the admin shows failed ones), newest first. */
  async listForShop(shopDomain: string, state: string, limit: number) {
    return this.db.webhookEvent.findMany({
      where: { shopDomain, state },
      orderBy: { receivedAt: "desc" },
      take: limit,
      select: { id: true, topic: true, state: true, attempts: true, note: true, receivedAt: true, processedAt: true, runAt: true },
    });
  }

  /**
   * The notes of the shop's handled events among `ids` that made messages: what was notable about
   * them (a unique code that fell back to the static one, store credit not granted), by event id.
   */
  async notesOf(shopDomain: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.webhookEvent.findMany({ where: { shopDomain, id: { in: ids }, state: "processed", note: { not: null } }, select: { id: true, note: true } });
    return new Map(rows.map((r) => [r.id, r.note!]));
  }

  /** Puts a failed event of the shop back to be handled now; false when it is not a failed event of the shop. */
  async retryFailed(shopDomain: string, id: string): Promise<boolean> {
    const r = await this.db.webhookEvent.updateMany({ where: { id, shopDomain, state: "failed" }, data: { state: "received", attempts: 0, runAt: null, note: null } });
    return r.count > 0;
  }

  /** When the oldest event waiting to be handled became due (received, or a retry whose time came); null when none waits. */
  async oldestDue(now: Date): Promise<Date | null> {
    const [received, retry] = await Promise.all([
      this.db.webhookEvent.aggregate({ where: { state: "received" }, _min: { receivedAt: true } }),
      this.db.webhookEvent.aggregate({ where: { state: "retry", runAt: { lte: now } }, _min: { runAt: true } }),
    ]);
    const times = [received._min.receivedAt, retry._min.runAt].filter((d): d is Date => d !== null);
    return times.length ? new Date(Math.min(...times.map((d) => d.getTime()))) : null;
  }

  /**
   * Events claimed and not finished within the lease (a pass that broke off, a process that died):
   * how many, the oldest claim, and the ids of the first few.
   */
  async stuck(now: Date, leaseMs: number): Promise<{ count: number; since: Date | null; ids: string[] }> {
    const where = { state: "processing", lockedAt: { lt: new Date(now.getTime() - leaseMs) } };
    const [all, first] = await Promise.all([
      this.db.webhookEvent.aggregate({ where, _count: { _all: true }, _min: { lockedAt: true } }),
      this.db.webhookEvent.findMany({ where, orderBy: { lockedAt: "asc" }, take: 10, select: { id: true } }),
    ]);
    return { count: all._count._all, since: all._min.lockedAt, ids: first.map((e) => e.id) };
  }

  /**
   * Deletes the payloads of events finished (processed, skipped or failed) before `before`, up to
   * `limit` of them; the events' rows stay (state, note, times: no customer data). Returns how many.
   */
  async purgePayloads(before: Date, limit: number): Promise<number> {
    const p = (i: number) => this.placeholder(i);
    // Joined with the payloads so that each slice reaches past events already purged. A failed
    // event was never finished: its arrival counts.
    const sql = `DELETE FROM "WebhookPayload" WHERE "eventId" IN (
      SELECT e."id" FROM "WebhookEvent" e JOIN "WebhookPayload" w ON w."eventId" = e."id"
      WHERE e."state" IN ('processed', 'skipped', 'failed') AND COALESCE(e."processedAt", e."receivedAt") < ${p(1)}
      LIMIT ${p(2)}) RETURNING "eventId"`;
    return (await this.database.write(sql, [before, limit])).length;
  }

  async countByState(): Promise<Record<string, number>> {
    const groups = await this.db.webhookEvent.groupBy({ by: ["state"], _count: { _all: true } });
    return Object.fromEntries(groups.map((g) => [g.state, g._count._all]));
  }
}
