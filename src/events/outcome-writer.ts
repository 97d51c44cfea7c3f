import type { EventOutcome } from "../automations/contract";
import type { Database, Tx } from "../store/db";
import { recipientKeyOf } from "../store/delivery-plan";
import { subjectKey, UNKNOWN_RECIPIENT, UNREACHABLE_REASON } from "../store/keys";
import type { StoredEvent } from "../store/events";

/**
 * Writes what handling an event came to, with the event's new state, in one transaction: its
 * messages (scheduled, or re-scheduled under the same key, never duplicated), the subjects it
 * closes (their scheduled messages cancelled, a recovered order recorded), the messages it
 * supersedes. An event is never marked done without the work it implies.
 */
export async function writeOutcome(
  database: Database,
  event: StoredEvent,
  found: { customerId: string | null; traces: string | null },
  outcome: EventOutcome,
  now: Date,
): Promise<void> {
  const { customerId, traces } = found;
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
      const { orderId, paid, ...order } = c.recovery;
      if (recalled) {
        await tx.recovery.upsert({
          where: { shopDomain_orderId: { shopDomain, orderId } },
          create: { shopDomain, orderId, ...order, subjectKey: c.subjectKey, strict: true, recallSentAt: recalled.sentAt, paidAt: paid ? now : null, recoveredAt: now },
          update: {},
        });
        if (paid) await markPaid(tx, shopDomain, orderId, now);
      }
      // The holdout comparison: the order completes its checkout's group, recalled or held out.
      await tx.recallGroup.updateMany({
        where: { shopDomain, subjectKey: c.subjectKey, orderId: null },
        data: { orderId, total: order.total, currency: order.currency, orderedAt: now },
      });
    }
    if (outcome.order) await recordAttributedOrder(tx, shopDomain, outcome.order, now);
    if (outcome.supersede) {
      const s = outcome.supersede;
      await tx.delivery.updateMany({
        where: { shopDomain, automation: s.automation, recipientKey: recipientKeyOf(shopDomain, s.recipient), state: "scheduled", NOT: { subjectKey: s.keepSubjectKey } },
        data: { state: "cancelled", lastError: s.reason, reasonCode: s.code },
      });
    }
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
        ...(closed ? { state: "cancelled", lastError: closed.reason, reasonCode: closed.reasonCode } : {}),
        ...(unreachable ? { state: "cancelled", lastError: UNREACHABLE_REASON, reasonCode: "unknown_recipient" } : {}),
      };
      const existing = await tx.delivery.findUnique({ where: { key: d.key }, select: { state: true } });
      if (!existing) {
        await tx.delivery.create({ data: { key: d.key, shopDomain, automation: d.automation, eventId: event.id, ...fields } });
      } else if (existing.state === "scheduled") {
        // A later event about the same thing (a checkout update) re-schedules, never duplicates.
        await tx.delivery.update({ where: { key: d.key }, data: { ...fields, eventId: event.id } });
      }
    }
  });
}

/** The longest window a shop may choose (ShopSettings.results.windowDays): orders after it are not recorded. */
const LONGEST_WINDOW_MS = 30 * 86_400_000;

/**
 * An order by a customer or recipient a recall was sent to, or who clicked a message's button,
 * within the longest window, recorded (not strict) for the shop's "window" and "click" attribution
 * rules; Results apply the shop's own days. An order already recorded (it completed the recalled
 * checkout: strict) keeps its row and gains the click. A paid order's row is marked paid, once.
 */
async function recordAttributedOrder(tx: Tx, shopDomain: string, order: NonNullable<EventOutcome["order"]>, now: Date): Promise<void> {
  const { orderId, customerId, recipient, paid, ...figures } = order;
  const who = [...(customerId ? [{ customerId }] : []), ...(recipient ? [{ recipientKey: recipientKeyOf(shopDomain, recipient) }] : [])];
  const since = new Date(now.getTime() - LONGEST_WINDOW_MS);
  if (who.length > 0) {
    const where = { shopDomain_orderId: { shopDomain, orderId } };
    const existing = await tx.recovery.findUnique({ where, select: { clickedAt: true } });
    const click = await tx.messageClick.findFirst({
      where: { shopDomain, clickedAt: { gte: since, lte: now }, OR: who },
      orderBy: { clickedAt: "desc" },
      select: { clickedAt: true },
    });
    if (existing) {
      if (click && !existing.clickedAt) await tx.recovery.update({ where, data: { clickedAt: click.clickedAt } });
    } else {
      const recall = await tx.delivery.findFirst({
        where: { shopDomain, automation: "abandoned", state: "sent", sentAt: { gte: since, lte: now }, OR: who },
        orderBy: { sentAt: "desc" },
        select: { sentAt: true, subjectKey: true },
      });
      const recalled = recall?.subjectKey ? { subjectKey: recall.subjectKey, recallSentAt: recall.sentAt } : null;
      if (recalled || click) {
        await tx.recovery.create({
          data: {
            shopDomain,
            orderId,
            ...figures,
            subjectKey: recalled?.subjectKey ?? subjectKey.order(orderId),
            strict: false,
            recallSentAt: recalled?.recallSentAt ?? null,
            clickedAt: click?.clickedAt ?? null,
            paidAt: paid ? now : null,
            recoveredAt: now,
          },
        });
      }
    }
  }
  if (paid) await markPaid(tx, shopDomain, orderId, now);
}

/** orders/paid (or an order placed paid): its recorded row, if any, counts its revenue from now on. */
async function markPaid(tx: Tx, shopDomain: string, orderId: string, now: Date): Promise<void> {
  await tx.recovery.updateMany({ where: { shopDomain, orderId, paidAt: null }, data: { paidAt: now } });
}
