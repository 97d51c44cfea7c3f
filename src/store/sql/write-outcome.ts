import crypto from "node:crypto";
import type { Recipient } from "../../messages/schema";
import type { ReasonCode } from "../../policy/reasons";
import { noRecipientKey, recipientKeyOf, unsentKey, type PlannedDelivery } from "../delivery-plan";
import type { DeliveryAutomation } from "../../policy/automations";
import { subjectKey, UNKNOWN_RECIPIENT, UNREACHABLE_REASON } from "../keys";
import type { Statement } from "../sqlite-writer";
import { paramList, type Dialect } from "./dialect";

/** An order, as an outcome records it for Results (store/results.ts reads the Recovery rows). */
interface OrderFigures {
  orderId: string;
  orderName: string | null;
  /** Decimal string at the currency's decimals. */
  total: string;
  currency: string;
  /** Whether the order is paid (orders/paid, or placed paid): Results count a pending order's revenue apart until it is. */
  paid: boolean;
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
  /** A message that was not made, for the delivery log to say why (EventOutcome.unsent). */
  unsent?: { automation: DeliveryAutomation; subjectKey: string; code: ReasonCode };
  /** What the merchant finds the event's messages by (src/events/search-facts.ts); none: nothing. */
  search?: SearchFacts;
}

/** An event's order name and the names and emails it carries, lowercased (src/events/search-facts.ts). */
interface SearchFacts {
  orderName: string | null;
  words: string;
}

/** A row's `orderName` and `search` (src/store/sql/page-deliveries.ts): the event's facts and the recipient's own value (a uuid). */
function findable(facts: SearchFacts, recipient: string | null): { orderName: string | null; search: string | null } {
  const words = [facts.words, recipient?.toLowerCase(), facts.orderName].filter(Boolean).join(" ");
  return { orderName: facts.orderName, search: words || null };
}

let lastMs = 0;
let sequence = 0;

/**
 * A new row's id, sorting in the order this process made it: the claim breaks ties of runAt and
 * createdAt by id (src/store/sql/claim-deliveries.ts), and a pass's messages share both, so one
 * recipient's two receipts of a pass must keep their order. The time, a counter within the same
 * millisecond, then randomness; "c" first, like the ids Prisma made before.
 */
export function orderedId(): string {
  const ms = Math.max(Date.now(), lastMs);
  sequence = ms === lastMs ? sequence + 1 : 0;
  lastMs = ms;
  return `c${ms.toString(36).padStart(9, "0")}${sequence.toString(36).padStart(4, "0")}${crypto.randomBytes(6).toString("hex")}`;
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
  const work = o.deliveries?.length || o.close?.length || o.supersede || o.version || o.order || o.unsent;
  const facts = o.search ?? { orderName: null, words: "" };
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
        `UPDATE "Delivery" SET "state" = 'cancelled', "lastError" = ${v(c.reason)}, "reasonCode" = ${v(c.code)}, "updatedAt" = ${v(now)} WHERE "shopDomain" = ${v(shop)} AND "subjectKey" = ${v(c.subjectKey)} AND ${d.noIndex('"state"')} = 'scheduled'`,
    );
    if (!c.recovery) continue;
    const r = c.recovery;
    // Recovered when a recall about the checkout was sent: strict, with the newest recall's time.
    add(
      (v) =>
        `INSERT INTO "Recovery" ("shopDomain", "orderId", "orderName", "subjectKey", "total", "currency", "strict", "recallSentAt", "paidAt", "recoveredAt")
         SELECT ${v(shop)}, ${v(r.orderId)}, ${v(r.orderName)}, ${v(c.subjectKey)}, ${v(r.total)}, ${v(r.currency)}, TRUE, recall."sentAt", ${r.paid ? at(v, now) : "NULL"}, ${at(v, now)}
         FROM (SELECT "sentAt" FROM "Delivery" WHERE "shopDomain" = ${v(shop)} AND "subjectKey" = ${v(c.subjectKey)} AND "automation" = 'abandoned' AND ${d.noIndex('"state"')} = 'sent'
               ORDER BY "sentAt" DESC LIMIT 1) AS recall
         WHERE TRUE ON CONFLICT ("shopDomain", "orderId") DO NOTHING`,
    );
    if (r.paid) markPaid(r.orderId, shop, now, add);
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
  if (o.unsent) {
    const u = o.unsent;
    const f = findable(facts, null);
    // One row per automation and subject, the latest reason kept; none while a message of the
    // automation about the subject exists (its own row tells its story). No subject key of its
    // own: the queue's rules that read a subject's messages never meet a row without a message.
    add(
      (v) =>
        `INSERT INTO "Delivery" ("id", "key", "shopDomain", "automation", "state", "recipientKey", "recipient", "message", "runAt", "lastError", "reasonCode", "eventId", "customerId", "orderName", "search", "createdAt", "updatedAt")
         SELECT ${v(orderedId())}, ${v(unsentKey(shop, u.automation, u.subjectKey))}, ${v(shop)}, ${v(u.automation)}, 'skipped', ${v(noRecipientKey(shop))}, '{}', '{}', ${at(v, now)},
           ${v(o.note ?? u.code)}, ${v(u.code)}, ${v(o.eventId)}, ${v(o.customerId)}, ${v(f.orderName)}, ${v(f.search)}, ${at(v, now)}, ${at(v, now)}
         WHERE NOT EXISTS (SELECT 1 FROM "Delivery" WHERE "shopDomain" = ${v(shop)} AND "subjectKey" = ${v(u.subjectKey)} AND "automation" = ${v(u.automation)})
         ON CONFLICT ("key") DO UPDATE SET "lastError" = excluded."lastError", "reasonCode" = excluded."reasonCode", "eventId" = excluded."eventId",
           "customerId" = excluded."customerId", "orderName" = excluded."orderName", "search" = excluded."search", "updatedAt" = excluded."updatedAt"`,
    );
  }
  for (const m of o.deliveries ?? []) {
    // The message is made after all: the row that told why it was not goes.
    if (m.subjectKey) add((v) => `DELETE FROM "Delivery" WHERE "key" = ${v(unsentKey(shop, m.automation, m.subjectKey!))}`);
    add((v) => scheduleSql(v, o.eventId, shop, m, facts, now));
  }
  return out;
}

/**
 * An order by a customer or recipient a recall was sent to, or who clicked a message's button,
 * within the longest window, recorded (not strict) for the shop's "window" and "click" attribution
 * rules; Results apply the shop's own days. An order already recorded (it completed the recalled
 * checkout: strict) keeps its row and gains the click. A paid order's row is marked paid, once.
 */
function windowRecovery(
  order: NonNullable<OutcomeRow["order"]>,
  shop: string,
  now: Date,
  add: (build: (v: (value: unknown) => string) => string) => void,
  at: (v: (value: unknown) => string, value: Date) => string,
  d: Dialect,
): void {
  const { orderId, customerId, recipient, orderName, total, currency, paid } = order;
  const since = new Date(now.getTime() - LONGEST_WINDOW_MS);
  // One branch per way of knowing the buyer, each read by its own index (an OR would read the shop's every row).
  // Each branch is written whole before the next: SQLite's "?" are positional.
  const ways = (table: "Delivery" | "MessageClick"): ((v: (value: unknown) => string) => string)[] => [
    ...(customerId ? [(v: (value: unknown) => string) => `"shopDomain" = ${v(shop)} AND "customerId" = ${v(customerId)}`] : []),
    ...(recipient ? [(v: (value: unknown) => string) => `"recipientKey" = ${v(recipientKeyOf(shop, recipient))} AND ${d.noIndex(`"${table}"."shopDomain"`)} = ${v(shop)}`] : []),
  ];
  const recalls = (v: (value: unknown) => string) =>
    ways("Delivery")
      .map(
        (who) =>
          `SELECT "sentAt", "subjectKey" FROM "Delivery" WHERE ${who(v)} AND "automation" = 'abandoned' AND ${d.noIndex('"state"')} = 'sent' AND "sentAt" >= ${v(since)} AND "sentAt" <= ${v(now)}`,
      )
      .join(" UNION ALL ");
  const clicks = (v: (value: unknown) => string) =>
    ways("MessageClick")
      .map((who) => `SELECT "clickedAt" FROM "MessageClick" WHERE ${who(v)} AND "clickedAt" >= ${v(since)} AND "clickedAt" <= ${v(now)}`)
      .join(" UNION ALL ");
  const newestClick = (v: (value: unknown) => string) => `(SELECT "clickedAt" FROM (${clicks(v)}) AS clicks ORDER BY "clickedAt" DESC LIMIT 1)`;
  if (customerId || recipient) {
    // Already recorded: it gains the click, once.
    add((v) => `UPDATE "Recovery" SET "clickedAt" = ${newestClick(v)} WHERE "shopDomain" = ${v(shop)} AND "orderId" = ${v(orderId)} AND "clickedAt" IS NULL`);
    add(
      (v) =>
        `INSERT INTO "Recovery" ("shopDomain", "orderId", "orderName", "subjectKey", "total", "currency", "strict", "recallSentAt", "clickedAt", "paidAt", "recoveredAt")
         SELECT ${v(shop)}, ${v(orderId)}, ${v(orderName)}, COALESCE(recall."subjectKey", ${v(subjectKey.order(orderId))}), ${v(total)}, ${v(currency)}, FALSE, recall."sentAt", click."clickedAt",
           ${paid ? at(v, now) : "NULL"}, ${at(v, now)}
         FROM (SELECT 1 AS one) AS base
         LEFT JOIN (SELECT "sentAt", "subjectKey" FROM (${recalls(v)}) AS recalls WHERE "subjectKey" IS NOT NULL ORDER BY "sentAt" DESC LIMIT 1) AS recall ON TRUE
         LEFT JOIN (SELECT "clickedAt" FROM (${clicks(v)}) AS clicks ORDER BY "clickedAt" DESC LIMIT 1) AS click ON TRUE
         WHERE recall."sentAt" IS NOT NULL OR click."clickedAt" IS NOT NULL
         ON CONFLICT ("shopDomain", "orderId") DO NOTHING`,
    );
  }
  if (paid) markPaid(orderId, shop, now, add);
}

/** orders/paid (or an order placed paid): its recorded row, if any, counts its revenue from now on. */
function markPaid(orderId: string, shop: string, now: Date, add: (build: (v: (value: unknown) => string) => string) => void): void {
  add((v) => `UPDATE "Recovery" SET "paidAt" = ${v(now)} WHERE "shopDomain" = ${v(shop)} AND "orderId" = ${v(orderId)} AND "paidAt" IS NULL`);
}

/** One message: inserted, or an existing row under its key re-scheduled while it is still scheduled (a later event about the same thing). */
function scheduleSql(v: (value: unknown) => string, eventId: string, shop: string, m: PlannedDelivery, facts: SearchFacts, now: Date): string {
  const recipientKey = recipientKeyOf(shop, m.recipient);
  const recipientWord = Object.values(m.recipient).find((x): x is string => typeof x === "string") ?? null;
  // An event that names neither order nor customer (a carrier's scan) takes its findable facts from
  // an earlier message about the same subject (the order's receipt), through (shopDomain, subjectKey).
  const own = Boolean(facts.orderName || facts.words || !m.subjectKey);
  const mine = findable(facts, recipientWord);
  const earlier = (column: string) =>
    `(SELECT "${column}" FROM "Delivery" WHERE "shopDomain" = ${v(shop)} AND "subjectKey" = ${v(m.subjectKey)} AND "orderName" IS NOT NULL LIMIT 1)`;
  const orderName = () => (own ? v(mine.orderName) : earlier("orderName"));
  const search = () => (own ? v(mine.search) : `NULLIF(TRIM(COALESCE(${earlier("search")}, '') || ' ' || ${v(recipientWord?.toLowerCase() ?? "")}), '')`);
  // Each part calls v() where its placeholders stand (SQLite's "?" are positional): a part used twice is written twice.
  const closedWhere = () => `FROM "ClosedSubject" WHERE "shopDomain" = ${v(shop)} AND "subjectKey" = ${v(m.subjectKey)}`;
  const closed = () => (m.subjectKey ? `EXISTS (SELECT 1 ${closedWhere()})` : "FALSE");
  const closedColumn = (column: string) => (m.subjectKey ? `(SELECT "${column}" ${closedWhere()})` : "NULL");
  // A promotion to someone JoinChat answered it does not know (10010) since their last opt-in is not scheduled.
  const unreachable = () =>
    m.promotional
      ? `EXISTS (SELECT 1 FROM "Delivery" WHERE "recipientKey" = ${v(recipientKey)} AND "joinchatCode" = ${v(UNKNOWN_RECIPIENT)}${m.windowOpenedAt ? ` AND "updatedAt" > ${v(m.windowOpenedAt)}` : ""})`
      : "FALSE";
  return `INSERT INTO "Delivery" ("id", "key", "shopDomain", "automation", "eventId", "message", "tag", "promotional", "windowOpenedAt", "runAt", "subjectKey", "customerId", "recipientKey", "recipient", "createdAt", "updatedAt", "state", "lastError", "reasonCode", "orderName", "search")
    VALUES (${v(orderedId())}, ${v(m.key)}, ${v(shop)}, ${v(m.automation)}, ${v(eventId)}, ${v(JSON.stringify(m.message))}, ${v(m.tag ?? null)}, ${v(m.promotional)}, ${v(m.windowOpenedAt)}, ${v(m.runAt)},
      ${v(m.subjectKey)}, ${v(m.customerId)}, ${v(recipientKey)}, ${v(JSON.stringify(m.recipient))}, ${v(now)}, ${v(now)},
      CASE WHEN ${closed()} THEN 'cancelled' WHEN ${unreachable()} THEN 'cancelled' ELSE 'scheduled' END,
      CASE WHEN ${closed()} THEN ${closedColumn("reason")} WHEN ${unreachable()} THEN ${v(UNREACHABLE_REASON)} ELSE NULL END,
      CASE WHEN ${closed()} THEN ${closedColumn("reasonCode")} WHEN ${unreachable()} THEN 'unknown_recipient' ELSE NULL END,
      ${orderName()}, ${search()})
    ON CONFLICT ("key") DO UPDATE SET
      "message" = excluded."message", "tag" = excluded."tag", "promotional" = excluded."promotional", "windowOpenedAt" = excluded."windowOpenedAt",
      "runAt" = excluded."runAt", "subjectKey" = excluded."subjectKey", "customerId" = excluded."customerId", "recipientKey" = excluded."recipientKey",
      "recipient" = excluded."recipient", "eventId" = excluded."eventId", "updatedAt" = excluded."updatedAt", "state" = excluded."state",
      "orderName" = excluded."orderName", "search" = excluded."search",
      "lastError" = CASE WHEN excluded."state" = 'cancelled' THEN excluded."lastError" ELSE "Delivery"."lastError" END,
      "reasonCode" = CASE WHEN excluded."state" = 'cancelled' THEN excluded."reasonCode" ELSE "Delivery"."reasonCode" END
    WHERE "Delivery"."state" = 'scheduled'`;
}
