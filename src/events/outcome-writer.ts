import type { EventOutcome } from "../automations/contract";
import type { Database, Tx } from "../store/db";
import { noRecipientKey, recipientKeyOf, unsentKey, type PlannedDelivery } from "../store/delivery-plan";
import { UNKNOWN_RECIPIENT, UNREACHABLE_REASON } from "../store/keys";
import type { StoredEvent } from "../store/events";
import type { SearchFacts } from "./search-facts";

/**
 * Writes what handling an event came to, with the event's new state, in one transaction: its
 * messages (scheduled, or re-scheduled under the same key, never duplicated), the subjects it
 * closes (their scheduled messages cancelled, a recovered order recorded), the messages it
 * supersedes. An event is never marked done without the work it implies.
 */
export async function writeOutcome(
  database: Database,
  event: StoredEvent,
  found: { customerId: string | null; traces: string | null; search?: SearchFacts },
  outcome: EventOutcome,
  now: Date,
): Promise<void> {
  const { customerId, traces } = found;
  const facts = found.search ?? { orderName: null, words: "" };
  await database.transaction(async (tx) => {
    // A write first: on SQLite it takes the write lock at once, so no other connection's commit
    // can make this transaction's reads stale before it writes (SQLITE_BUSY_SNAPSHOT).
    await tx.webhookEvent.update({
      where: { id: event.id },
      data: { state: outcome.state, note: outcome.note ?? null, customerId, traces, processedAt: now, lockedAt: null, lockedBy: null },
    });
    const shopDomain = event.shopDomain;
    if (outcome.version) {
      const { subjectKey, triggeredAt } = outcome.version;
      await tx.subjectVersion.upsert({ where: { shopDomain_subjectKey: { shopDomain, subjectKey } }, create: { shopDomain, subjectKey, triggeredAt }, update: { triggeredAt } });
    }
    for (const c of outcome.close ?? []) {
      await tx.closedSubject.upsert({
        where: { shopDomain_subjectKey: { shopDomain, subjectKey: c.subjectKey } },
        create: { shopDomain, subjectKey: c.subjectKey, reason: c.reason, reasonCode: c.code, closedAt: now },
        update: {},
      });
      await tx.delivery.updateMany({ where: { shopDomain, subjectKey: c.subjectKey, state: "scheduled" }, data: { state: "cancelled", lastError: c.reason, reasonCode: c.code } });
      if (!c.recovery) continue;
      const recalled = await tx.delivery.findFirst({
        where: { shopDomain, subjectKey: c.subjectKey, automation: "abandoned", state: "sent" },
        orderBy: { sentAt: "desc" },
        select: { sentAt: true },
      });
      const { orderId, ...order } = c.recovery;
      if (recalled) {
        await tx.recovery.upsert({
          where: { shopDomain_orderId: { shopDomain, orderId } },
          create: { shopDomain, orderId, ...order, subjectKey: c.subjectKey, strict: true, recallSentAt: recalled.sentAt, recoveredAt: now },
          update: {},
        });
      }
      // The holdout comparison: the order completes its checkout's group, recalled or held out.
      await tx.recallGroup.updateMany({
        where: { shopDomain, subjectKey: c.subjectKey, orderId: null },
        data: { orderId, total: order.total, currency: order.currency, orderedAt: now },
      });
    }
    if (outcome.order) await recordWindowRecovery(tx, shopDomain, outcome.order, now);
    if (outcome.supersede) {
      const s = outcome.supersede;
      await tx.delivery.updateMany({
        where: { shopDomain, automation: s.automation, recipientKey: recipientKeyOf(shopDomain, s.recipient), state: "scheduled", NOT: { subjectKey: s.keepSubjectKey } },
        data: { state: "cancelled", lastError: s.reason, reasonCode: s.code },
      });
    }
    if (outcome.unsent) await writeUnsent(tx, event, outcome.unsent, outcome.note ?? outcome.unsent.code, { customerId, ...findable(facts, null) }, now);
    for (const d of outcome.deliveries ?? []) {
      const closed = d.subjectKey ? await tx.closedSubject.findUnique({ where: { shopDomain_subjectKey: { shopDomain, subjectKey: d.subjectKey } } }) : null;
      const recipientKey = recipientKeyOf(shopDomain, d.recipient);
      // A promotion to someone JoinChat answered it does not know (10010) since their last opt-in is not scheduled.
      const unreachable =
        d.promotional && !closed
          ? await tx.delivery.findFirst({
              where: { recipientKey, joinchatCode: UNKNOWN_RECIPIENT, ...(d.windowOpenedAt ? { updatedAt: { gt: d.windowOpenedAt } } : {}) },
              select: { id: true },
            })
          : null;
      const fields = {
        message: JSON.stringify(d.message),
        tag: d.tag ?? null,
        promotional: d.promotional,
        windowOpenedAt: d.windowOpenedAt,
        runAt: d.runAt,
        subjectKey: d.subjectKey,
        customerId: d.customerId,
        recipientKey,
        recipient: JSON.stringify(d.recipient),
        ...(await findableDelivery(tx, shopDomain, facts, d)),
        ...(closed ? { state: "cancelled", lastError: closed.reason, reasonCode: closed.reasonCode } : {}),
        ...(unreachable ? { state: "cancelled", lastError: UNREACHABLE_REASON, reasonCode: "unknown_recipient" } : {}),
      };
      const existing = await tx.delivery.findUnique({ where: { key: d.key }, select: { state: true } });
      if (!existing) {
        // The message is made after all: the row that told why it was not goes.
        if (d.subjectKey) await tx.delivery.deleteMany({ where: { key: unsentKey(shopDomain, d.automation, d.subjectKey) } });
        await tx.delivery.create({ data: { key: d.key, shopDomain, automation: d.automation, eventId: event.id, ...fields } });
      } else if (existing.state === "scheduled") {
        // A later event about the same thing (a checkout update) re-schedules, never duplicates.
        await tx.delivery.update({ where: { key: d.key }, data: { ...fields, eventId: event.id } });
      }
    }
  });
}

/** The longest "window" a shop may choose (ShopSettings.results.windowDays): orders after it are not recorded. */
const LONGEST_WINDOW_MS = 30 * 86_400_000;

/**
 * An order by a customer or recipient a recall was sent to within the longest window, recorded
 * (not strict) for the shop's "window" attribution rule; Results apply the shop's own days. An
 * order already recorded (it completed the recalled checkout: strict) stays as it is.
 */
async function recordWindowRecovery(tx: Tx, shopDomain: string, order: NonNullable<EventOutcome["order"]>, now: Date): Promise<void> {
  const { orderId, customerId, recipient, ...figures } = order;
  const who = [...(customerId ? [{ customerId }] : []), ...(recipient ? [{ recipientKey: recipientKeyOf(shopDomain, recipient) }] : [])];
  if (who.length === 0) return;
  if (await tx.recovery.findUnique({ where: { shopDomain_orderId: { shopDomain, orderId } }, select: { orderId: true } })) return;
  const recall = await tx.delivery.findFirst({
    where: { shopDomain, automation: "abandoned", state: "sent", sentAt: { gte: new Date(now.getTime() - LONGEST_WINDOW_MS), lte: now }, OR: who },
    orderBy: { sentAt: "desc" },
    select: { sentAt: true, subjectKey: true },
  });
  if (!recall?.subjectKey) return;
  await tx.recovery.create({ data: { shopDomain, orderId, ...figures, subjectKey: recall.subjectKey, strict: false, recallSentAt: recall.sentAt, recoveredAt: now } });
}

/** A row's `orderName` and `search` (src/store/sql/page-deliveries.ts): the event's facts and the recipient's own value (a uuid). */
function findable(facts: SearchFacts, recipient: string | null): { orderName: string | null; search: string | null } {
  const words = [facts.words, recipient?.toLowerCase(), facts.orderName].filter(Boolean).join(" ");
  return { orderName: facts.orderName, search: words || null };
}

/**
 * A message's findable facts. An event that names neither order nor customer (a carrier's scan)
 * takes them from an earlier message about the same subject (the order's receipt), through the
 * (shopDomain, subjectKey) index.
 */
async function findableDelivery(tx: Tx, shopDomain: string, facts: SearchFacts, d: PlannedDelivery) {
  const recipient = Object.values(d.recipient).find((v) => typeof v === "string") ?? null;
  if (facts.orderName || facts.words || !d.subjectKey) return findable(facts, recipient);
  const earlier = await tx.delivery.findFirst({ where: { shopDomain, subjectKey: d.subjectKey, orderName: { not: null } }, select: { orderName: true, search: true } });
  return findable({ orderName: earlier?.orderName ?? null, words: earlier?.search ?? "" }, recipient);
}

/**
 * The delivery log's row for a message that was not made (EventOutcome.unsent), `skipped` with its
 * reason: one per automation and subject, the latest reason kept. None while a message of the
 * automation about the subject exists: its own row tells its story.
 */
async function writeUnsent(
  tx: Tx,
  event: StoredEvent,
  u: NonNullable<EventOutcome["unsent"]>,
  note: string,
  found: { customerId: string | null; orderName: string | null; search: string | null },
  now: Date,
) {
  const shopDomain = event.shopDomain;
  if (await tx.delivery.findFirst({ where: { shopDomain, subjectKey: u.subjectKey, automation: u.automation }, select: { id: true } })) return;
  const key = unsentKey(shopDomain, u.automation, u.subjectKey);
  // No subject key of its own: the queue's rules that read a subject's messages (the recipient a
  // shipping notice follows, a close's cancellations) never meet a row without a message.
  const fields = { lastError: note, reasonCode: u.code, eventId: event.id, ...found };
  await tx.delivery.upsert({
    where: { key },
    create: { key, shopDomain, automation: u.automation, state: "skipped", recipientKey: noRecipientKey(shopDomain), recipient: "{}", message: "{}", runAt: now, ...fields },
    update: fields,
  });
}
