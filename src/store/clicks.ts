import type { Db } from "./db";

/** A sent message a click may be on: what the click records, and the message as stored (its links' targets). */
export interface ClickedMessage {
  id: string;
  shopDomain: string;
  automation: string;
  recipientKey: string;
  customerId: string | null;
  message: string;
}

/** States of a message that may have reached its recipient, so that a link in it may be clicked. */
const MAY_HAVE_GONE = ["sent", "unknown"];

/** Clicks on message buttons through the app's redirect (GET /c/<token>): one row each. */
export class ClickStore {
  constructor(private readonly db: Db) {}

  /** The message a click token names, when it may have gone out; null otherwise (never sent, deleted, redacted). */
  async messageOf(deliveryId: string): Promise<ClickedMessage | null> {
    return this.db.delivery.findFirst({
      where: { id: deliveryId, state: { in: MAY_HAVE_GONE } },
      select: { id: true, shopDomain: true, automation: true, recipientKey: true, customerId: true, message: true },
    });
  }

  async record(m: ClickedMessage, link: number, at: Date): Promise<void> {
    await this.db.messageClick.create({
      data: { shopDomain: m.shopDomain, deliveryId: m.id, automation: m.automation, link, recipientKey: m.recipientKey, customerId: m.customerId, clickedAt: at },
    });
  }

  /** Clicks of the shop in [start, end), each with its automation and time, for Results to count per day. */
  async ofShop(shopDomain: string, start: Date, end: Date): Promise<{ automation: string; clickedAt: Date }[]> {
    return this.db.messageClick.findMany({ where: { shopDomain, clickedAt: { gte: start, lt: end } }, select: { automation: true, clickedAt: true } });
  }

  /** How many clicks each of these messages has had (messages never clicked are absent). */
  async perMessage(deliveryIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < deliveryIds.length; i += 5_000) {
      const groups = await this.db.messageClick.groupBy({ by: ["deliveryId"], where: { deliveryId: { in: deliveryIds.slice(i, i + 5_000) } }, _count: { _all: true } });
      for (const g of groups) counts.set(g.deliveryId, g._count._all);
    }
    return counts;
  }
}
