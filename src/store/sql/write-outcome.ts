import crypto from "node:crypto";
import type { Recipient } from "../../messages/schema";
import type { ReasonCode } from "../../policy/reasons";
import { recipientKeyOf, type PlannedDelivery } from "../delivery-plan";
import { UNKNOWN_RECIPIENT, UNREACHABLE_REASON } from "../keys";
import type { Statement } from "../sqlite-writer";
import { paramList, type Dialect } from "./dialect";

/** An order, as an outcome records it for Results (store/results.ts reads the Recovery rows). */
interface OrderFigures {
  orderId: string;
  orderName: string | null;
  /** Decimal string at the currency's decimals. */
  total: string;
  currency: string;
}

/** What handling an event came to, as it is written (the handler contract's EventOutcome, in the store's terms). */
export interface OutcomeRow {
  eventId: string;
  shopDomain: string;
  state: "processed" | "skipped";
  note: string | null;
  customerId: string | null;
  traces: string | null;
  deliveries?: PlannedDelivery[];
  close?: { subjectKey: string; code: ReasonCode; reason: string; recovery?: OrderFigures }[];
  supersede?: { recipient: Recipient; automation: PlannedDelivery["automation"]; keepSubjectKey: string; code: ReasonCode; reason: string };
  order?: OrderFigures & { customerId: string | null; recipient: Recipient | null };
  version?: { subjectKey: string; triggeredAt: Date };
}

/** The longest "window" a shop may choose (ShopSettings.results.windowDays): orders after it are not recorded. */
const LONGEST_WINDOW_MS = 30 * 86_400_000;

/** Says, where the statements run, that the event's row is gone (a redaction deleted it meanwhile): nothing of the outcome is written. */
export const EVENT_GONE = "the event is no longer stored (deleted meanwhile): its outcome is not written";

/**
 * The statements that write an event's outcome, to run in one transaction (with other events'
 * in a group commit): the event's new state, and the work it implies, each read the writer used
 * to make (is the subject closed, is the message already scheduled, was a recall sent) made by
 * the statement itself, so a pass's outcomes go to the database as one list, without a round
 * trip per read. In order: the subject's version, the subjects closed (their scheduled messages
 * cancelled, a recovered order recorded), an order for the "window" rule, the messages superseded,
 * then the messages (scheduled, re-scheduled under the same key while still scheduled, never
 * duplicated; cancelled at once when their subject is closed or, a promotion, when JoinChat said
 * it does not know the recipient since they opted in).
 */
export function outcomeStatements(d: Dialect, o: OutcomeRow, now: Date): Statement[] {
  const out: Statement[] = [];
  const add = (build: (v: (value: unknown) => string) => string, mustReturn?: string) => {
    const { params, v } = paramList(d);
    out.push({ sql: build(v), params, ...(mustReturn ? { mustReturn } : {}) });
  };
  const at = (v: (value: unknown) => string, value: Date) => d.timestamp(v(value));
  const work = o.deliveries?.length || o.close?.length || o.supersede || o.version || o.order;
  // An event is never marked done without the work it implies, nor the work written for an event
  // that is gone: with work, the statement must find the row, or the whole transaction is undone.
  add(
    (v) =>
      `UPDATE "WebhookEvent" SET "state" = ${v(o.state)}, "note" = ${v(o.note)}, "customerId" = ${v(o.customerId)}, "traces" = ${v(o.traces)}, "processedAt" = ${v(now)}, "lockedAt" = NULL, "lockedBy" = NULL WHERE "id" = ${v(o.eventId)}${work ? ` RETURNING "id"` : ""}`,
    work ? EVENT_GONE : undefined,
  );
  const shop = o.shopDomain;
  if (o.version) {
    const { subjectKey, triggeredAt } = o.version;
    add(
      (v) =>
        `INSERT INTO "SubjectVersion" ("shopDomain", "subjectKey", "triggeredAt") VALUES (${v(shop)}, ${v(subjectKey)}, ${v(triggeredAt)}) ON CONFLICT ("shopDomain", "subjectKey") DO UPDATE SET "triggeredAt" = excluded."triggeredAt"`,
    );
  }
  for (const c of o.close ?? []) {
    add(
      (v) =>
        `INSERT INTO "ClosedSubject" ("shopDomain", "subjectKey", "reason", "reasonCode", "closedAt") VALUES (${v(shop)}, ${v(c.subjectKey)}, ${v(c.reason)}, ${v(c.code)}, ${v(now)}) ON CONFLICT ("shopDomain", "subjectKey") DO NOTHING`,
    );
    add(
      (v) =>
        `UPDATE "Delivery" SET "state" = 'cancelled', "lastError" = ${v(c.reason)}, "reasonCode" = ${v(c.code)}, "updatedAt" = ${v(now)} WHERE "shopDomain" = ${v(shop)} AND "subjectKey" = ${v(c.subjectKey)} AND "state" = 'scheduled'`,
    );
    if (!c.recovery) continue;
    const r = c.recovery;
    // Recovered when a recall about the checkout was sent: strict, with the newest recall's time.
    add(
      (v) =>
        `INSERT INTO "Recovery" ("shopDomain", "orderId", "orderName", "subjectKey", "total", "currency", "strict", "recallSentAt", "recoveredAt")
         SELECT ${v(shop)}, ${v(r.orderId)}, ${v(r.orderName)}, ${v(c.subjectKey)}, ${v(r.total)}, ${v(r.currency)}, TRUE, recall."sentAt", ${at(v, now)}
         FROM (SELECT "sentAt" FROM "Delivery" WHERE "shopDomain" = ${v(shop)} AND "subjectKey" = ${v(c.subjectKey)} AND "automation" = 'abandoned' AND "state" = 'sent'
               ORDER BY "sentAt" DESC LIMIT 1) AS recall
         WHERE TRUE ON CONFLICT ("shopDomain", "orderId") DO NOTHING`,
    );
    // The holdout comparison: the order completes its checkout's group, recalled or held out.
    add(
      (v) =>
        `UPDATE "RecallGroup" SET "orderId" = ${v(r.orderId)}, "total" = ${v(r.total)}, "currency" = ${v(r.currency)}, "orderedAt" = ${v(now)} WHERE "shopDomain" = ${v(shop)} AND "subjectKey" = ${v(c.subjectKey)} AND "orderId" IS NULL`,
    );
  }
  if (o.order) windowRecovery(o.order, shop, now, add, at, d);
  if (o.supersede) {
    const s = o.supersede;
    add(
      (v) =>
        `UPDATE "Delivery" SET "state" = 'cancelled', "lastError" = ${v(s.reason)}, "reasonCode" = ${v(s.code)}, "updatedAt" = ${v(now)} WHERE "recipientKey" = ${v(recipientKeyOf(shop, s.recipient))} AND ${d.noIndex('"shopDomain"')} = ${v(shop)} AND "automation" = ${v(s.automation)} AND ${d.noIndex('"state"')} = 'scheduled' AND "subjectKey" <> ${v(s.keepSubjectKey)}`,
    );
  }
  for (const m of o.deliveries ?? []) add((v) => scheduleSql(v, o.eventId, shop, m, now));
  return out;
}

/**
 * An order by a customer or recipient a recall was sent to within the longest window, recorded
 * (not strict) for the shop's "window" attribution rule; Results apply the shop's own days. An
 * order already recorded (it completed the recalled checkout: strict) stays as it is.
 */
function windowRecovery(
  order: NonNullable<OutcomeRow["order"]>,
  shop: string,
  now: Date,
  add: (build: (v: (value: unknown) => string) => string) => void,
  at: (v: (value: unknown) => string, value: Date) => string,
  d: Dialect,
): void {
  const { orderId, customerId, recipient, orderName, total, currency } = order;
  // One branch per way of knowing the buyer, each read by its own index (an OR would read the shop's every message).
  const recalls = (v: (value: unknown) => string) =>
    [
      ...(customerId ? [`"shopDomain" = ${v(shop)} AND "customerId" = ${v(customerId)}`] : []),
      ...(recipient ? [`"recipientKey" = ${v(recipientKeyOf(shop, recipient))} AND ${d.noIndex('"shopDomain"')} = ${v(shop)}`] : []),
    ]
      .map(
        (who) =>
          `SELECT "sentAt", "subjectKey" FROM "Delivery" WHERE ${who} AND "automation" = 'abandoned' AND ${d.noIndex('"state"')} = 'sent' AND "sentAt" >= ${v(new Date(now.getTime() - LONGEST_WINDOW_MS))} AND "sentAt" <= ${v(now)}`,
      )
      .join(" UNION ALL ");
  if (!customerId && !recipient) return;
  add(
    (v) =>
      `INSERT INTO "Recovery" ("shopDomain", "orderId", "orderName", "subjectKey", "total", "currency", "strict", "recallSentAt", "recoveredAt")
       SELECT ${v(shop)}, ${v(orderId)}, ${v(orderName)}, recall."subjectKey", ${v(total)}, ${v(currency)}, FALSE, recall."sentAt", ${at(v, now)}
       FROM (SELECT "sentAt", "subjectKey" FROM (${recalls(v)}) AS recalls ORDER BY "sentAt" DESC LIMIT 1) AS recall
       WHERE recall."subjectKey" IS NOT NULL ON CONFLICT ("shopDomain", "orderId") DO NOTHING`,
  );
}

/** One message: inserted, or an existing row under its key re-scheduled while it is still scheduled (a later event about the same thing). */
function scheduleSql(v: (value: unknown) => string, eventId: string, shop: string, m: PlannedDelivery, now: Date): string {
  const recipientKey = recipientKeyOf(shop, m.recipient);
  // Each part calls v() where its placeholders stand (SQLite's "?" are positional): a part used twice is written twice.
  const closedWhere = () => `FROM "ClosedSubject" WHERE "shopDomain" = ${v(shop)} AND "subjectKey" = ${v(m.subjectKey)}`;
  const closed = () => (m.subjectKey ? `EXISTS (SELECT 1 ${closedWhere()})` : "FALSE");
  const closedColumn = (column: string) => (m.subjectKey ? `(SELECT "${column}" ${closedWhere()})` : "NULL");
  // A promotion to someone JoinChat answered it does not know (10010) since their last opt-in is not scheduled.
  const unreachable = () =>
    m.promotional
      ? `EXISTS (SELECT 1 FROM "Delivery" WHERE "recipientKey" = ${v(recipientKey)} AND "joinchatCode" = ${v(UNKNOWN_RECIPIENT)}${m.windowOpenedAt ? ` AND "updatedAt" > ${v(m.windowOpenedAt)}` : ""})`
      : "FALSE";
  return `INSERT INTO "Delivery" ("id", "key", "shopDomain", "automation", "eventId", "message", "tag", "promotional", "windowOpenedAt", "runAt", "subjectKey", "customerId", "recipientKey", "recipient", "createdAt", "updatedAt", "state", "lastError", "reasonCode")
    VALUES (${v(crypto.randomUUID())}, ${v(m.key)}, ${v(shop)}, ${v(m.automation)}, ${v(eventId)}, ${v(JSON.stringify(m.message))}, ${v(m.tag ?? null)}, ${v(m.promotional)}, ${v(m.windowOpenedAt)}, ${v(m.runAt)},
      ${v(m.subjectKey)}, ${v(m.customerId)}, ${v(recipientKey)}, ${v(JSON.stringify(m.recipient))}, ${v(now)}, ${v(now)},
      CASE WHEN ${closed()} THEN 'cancelled' WHEN ${unreachable()} THEN 'cancelled' ELSE 'scheduled' END,
      CASE WHEN ${closed()} THEN ${closedColumn("reason")} WHEN ${unreachable()} THEN ${v(UNREACHABLE_REASON)} ELSE NULL END,
      CASE WHEN ${closed()} THEN ${closedColumn("reasonCode")} WHEN ${unreachable()} THEN 'unknown_recipient' ELSE NULL END)
    ON CONFLICT ("key") DO UPDATE SET
      "message" = excluded."message", "tag" = excluded."tag", "promotional" = excluded."promotional", "windowOpenedAt" = excluded."windowOpenedAt",
      "runAt" = excluded."runAt", "subjectKey" = excluded."subjectKey", "customerId" = excluded."customerId", "recipientKey" = excluded."recipientKey",
      "recipient" = excluded."recipient", "eventId" = excluded."eventId", "updatedAt" = excluded."updatedAt", "state" = excluded."state",
      "lastError" = CASE WHEN excluded."state" = 'cancelled' THEN excluded."lastError" ELSE "Delivery"."lastError" END,
      "reasonCode" = CASE WHEN excluded."state" = 'cancelled' THEN excluded."reasonCode" ELSE "Delivery"."reasonCode" END
    WHERE "Delivery"."state" = 'scheduled'`;
}
