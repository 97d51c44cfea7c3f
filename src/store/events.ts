import crypto from "node:crypto";
import type { Database, Db } from "./db";
import type { Provider } from "./database-url";

/** A webhook as received, before it is stored. */
export interface IncomingEvent {
  shopDomain: string;
  topic: string;
  eventKey: string;
  webhookId: string | null;
  apiVersion: string | null;
  triggeredAt: string | null;
  customerId: string | null;
  payload: string;
  /** "received" for work to do; "skipped" for what is only kept (an unknown topic). */
  state: "received" | "skipped";
  note: string | null;
}

export interface StoredEvent {
  id: string;
  shopDomain: string;
  topic: string;
  eventKey: string;
  webhookId: string | null;
  customerId: string | null;
  payload: string;
  attempts: number;
  receivedAt: Date;
}

let sequence = 0;
/**
 * Event ids sort in arrival order within a process (time, then a counter), so the events of one
 * group-committed batch, which share a receivedAt, are still worked in the order they came.
 */
function orderedId(now: Date): string {
  sequence = (sequence + 1) % 0x1000000;
  return `${now.getTime().toString(36).padStart(9, "0")}${sequence.toString(36).padStart(5, "0")}${crypto.randomBytes(6).toString("hex")}`;
}

const COLUMNS = ["id", "shopDomain", "topic", "eventKey", "webhookId", "apiVersion", "triggeredAt", "customerId", "state", "note", "receivedAt"] as const;

/** The webhook events aggregate: stored before acknowledgement, worked through by the event processor. */
export class EventStore {
  private readonly db: Db;
  private readonly provider: Provider;
  constructor(private readonly database: Database) {
    this.db = database.db;
    this.provider = database.provider;
  }

  private placeholder(i: number): string {
    return this.provider === "postgresql" ? `$${i}` : "?";
  }

  /**
   * Stores a batch in one transaction: the payloads (WebhookPayload), then the events, then the
   * payloads of events that were already stored are taken back out. Returns, for each input,
   * whether it was new.
   */
  async insertMany(events: IncomingEvent[], now: Date): Promise<boolean[]> {
    const firstOfKey = new Map<string, number>();
    events.forEach((e, i) => {
      const k = `${e.shopDomain}\n${e.eventKey}`;
      if (!firstOfKey.has(k)) firstOfKey.set(k, i);
    });
    const unique = [...firstOfKey.values()].map((i) => ({ id: orderedId(now), e: events[i]! }));
    const statement = (build: (mark: (v: unknown) => string) => string) => {
      const params: unknown[] = [];
      const sql = build((v) => (params.push(v), this.placeholder(params.length)));
      return { sql, params };
    };
    const payloads = statement((mark) => `INSERT INTO "WebhookPayload" ("eventId", "payload") VALUES ${unique.map(({ id, e }) => `(${mark(id)}, ${mark(e.payload)})`).join(", ")}`);
    const rows = statement((mark) => {
      const values = unique.map(({ id, e }) => [id, e.shopDomain, e.topic, e.eventKey, e.webhookId, e.apiVersion, e.triggeredAt, e.customerId, e.state, e.note, now].map(mark).join(", "));
      return (
        `INSERT INTO "WebhookEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${values.join("), (")}) ` +
        `ON CONFLICT ("shopDomain", "eventKey") DO NOTHING RETURNING "shopDomain", "eventKey"`
      );
    });
    const orphans = statement(
      (mark) =>
        `DELETE FROM "WebhookPayload" WHERE "eventId" IN (${unique.map(({ id }) => mark(id)).join(", ")}) ` +
        `AND NOT EXISTS (SELECT 1 FROM "WebhookEvent" WHERE "WebhookEvent"."id" = "WebhookPayload"."eventId")`,
    );
    const [, inserted] = await this.database.writeAll([payloads, rows, orphans]);
    const isNew = new Set(inserted!.map((r) => `${r.shopDomain}\n${r.eventKey}`));
    return events.map((e, i) => {
      const k = `${e.shopDomain}\n${e.eventKey}`;
      return firstOfKey.get(k) === i && isNew.has(k);
    });
  }

  /**
   * Claims up to `limit` events to work on: received ones, and those whose worker's lease ran out
   * (a crash mid-event). Oldest first. On PostgreSQL concurrent workers skip each other's rows.
   */
  async claim(limit: number, workerId: string, now: Date, leaseMs: number): Promise<StoredEvent[]> {
    const staleBefore = new Date(now.getTime() - leaseMs);
    const pg = this.provider === "postgresql";
    // Placeholders are added in the order they appear in the text (SQLite's "?" is positional).
    const params: unknown[] = [];
    const v = (value: unknown) => (params.push(value), pg ? `$${params.length}` : "?");
    const head = `UPDATE "WebhookEvent" SET "state" = 'processing', "lockedAt" = ${v(now)}, "lockedBy" = ${v(workerId)}, "attempts" = "attempts" + 1`;
    const due = (t: string) => `(${t}"state" = 'received' OR (${t}"state" = 'processing' AND ${t}"lockedAt" < ${v(staleBefore)}))`;
    const pick = `SELECT "id" FROM "WebhookEvent" WHERE ${due("")} ORDER BY "receivedAt", "id" LIMIT ${v(limit)}` + (pg ? " FOR UPDATE SKIP LOCKED" : "");
    const sql = `${head} WHERE "id" IN (${pick}) AND ${due("")}
      RETURNING "id", "shopDomain", "topic", "eventKey", "webhookId", "customerId", "attempts", "receivedAt",
        (SELECT "payload" FROM "WebhookPayload" WHERE "eventId" = "WebhookEvent"."id") AS "payload"`;
    // Through the writer: on SQLite the claim then queues behind the webhook batches on the
    // writer thread's connection instead of waiting for their lock on the event loop.
    const rows = await this.database.write<StoredEvent>(sql, params);
    return rows
      .map((r) => ({ ...r, attempts: Number(r.attempts), receivedAt: new Date(r.receivedAt) }))
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id));
  }

  /**
   * Marks claimed events done (processed or skipped) whose outcomes imply no messages, in one
   * transaction: one commit for a pass of the processor instead of one per event.
   */
  async finishMany(done: { id: string; state: "processed" | "skipped"; note: string | null; customerId: string | null; at: Date }[]): Promise<void> {
    if (done.length === 0) return;
    const pg = this.provider === "postgresql";
    const p = (i: number) => (pg ? `$${i}` : "?");
    const sql = `UPDATE "WebhookEvent" SET "state" = ${p(1)}, "note" = ${p(2)}, "customerId" = ${p(3)}, "processedAt" = ${p(4)}, "lockedAt" = NULL, "lockedBy" = NULL WHERE "id" = ${p(5)}`;
    await this.database.writeAll(done.map((d) => ({ sql, params: [d.state, d.note, d.customerId, d.at, d.id] })));
  }

  /** Hands a claimed event back (to retry) or gives up on it, with the error. */
  async release(id: string, state: "received" | "failed", error: string): Promise<void> {
    await this.db.webhookEvent.update({ where: { id }, data: { state, note: error, lockedAt: null, lockedBy: null } });
  }

  async countByState(): Promise<Record<string, number>> {
    const groups = await this.db.webhookEvent.groupBy({ by: ["state"], _count: { _all: true } });
    return Object.fromEntries(groups.map((g) => [g.state, g._count._all]));
  }
}
