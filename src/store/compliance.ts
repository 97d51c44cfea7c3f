import type { Database, Db, Tx } from "./db";
import { normalizeEmail, normalizePhone } from "./links";

export interface CustomerRef {
  id: string | null;
  email: string | null;
  phone: string | null;
}

export interface CustomerReport {
  customerId: string | null;
  links: { uuid: string; linkedAt: string; source: string }[];
  deliveries: { automation: string; state: string; createdAt: string; sentAt: string | null; body: string | null }[];
}

/** What the compliance topics need: find, report and delete a customer's or a shop's data. */
export class ComplianceStore {
  private readonly db: Db;
  constructor(private readonly database: Database) {
    this.db = database.db;
  }

  private linkWhere(shopDomain: string, c: CustomerRef) {
    const or = [
      ...(c.id ? [{ customerId: c.id }] : []),
      // Links keep email and phone normalized (src/store/links.ts): compare the same way.
      ...(c.email ? [{ email: normalizeEmail(c.email) }] : []),
      ...(c.phone ? [{ phone: normalizePhone(c.phone) }] : []),
    ];
    return or.length ? { shopDomain, OR: or } : null;
  }

  async customerReport(shopDomain: string, c: CustomerRef): Promise<CustomerReport> {
    const where = this.linkWhere(shopDomain, c);
    const links = where ? await this.db.recipientLink.findMany({ where, orderBy: { linkedAt: "asc" } }) : [];
    const recipientKeys = links.map((l) => `${shopDomain}|uuid:${l.uuid}`);
    const deliveries = await this.db.delivery.findMany({
      where: { shopDomain, OR: [...(c.id ? [{ customerId: c.id }] : []), { recipientKey: { in: recipientKeys } }] },
      orderBy: { createdAt: "asc" },
    });
    return {
      customerId: c.id,
      links: links.map((l) => ({ uuid: l.uuid, linkedAt: l.linkedAt.toISOString(), source: l.source })),
      deliveries: deliveries.map((d) => ({
        automation: d.automation,
        state: d.state,
        createdAt: d.createdAt.toISOString(),
        sentAt: d.sentAt?.toISOString() ?? null,
        body: d.sentBody ?? d.message,
      })),
    };
  }

  async recordDataRequest(shopDomain: string, customerId: string | null, report: CustomerReport): Promise<void> {
    await this.db.dataRequest.create({ data: { shopDomain, customerId, report: JSON.stringify(report) } });
  }

  /** Deletes the customer's links, messages and stored events (the redact event itself is emptied). */
  async redactCustomer(shopDomain: string, c: CustomerRef, orderIds: string[], redactEventId: string) {
    const where = this.linkWhere(shopDomain, c);
    const links = where ? await this.db.recipientLink.findMany({ where, select: { uuid: true } }) : [];
    const recipientKeys = links.map((l) => `${shopDomain}|uuid:${l.uuid}`);
    return this.database.transaction(async (tx) => {
      const deliveries = await tx.delivery.deleteMany({
        where: {
          shopDomain,
          OR: [
            ...(c.id ? [{ customerId: c.id }] : []),
            { recipientKey: { in: recipientKeys } },
            { subjectKey: { in: orderIds.map((id) => `order:${id}`) } },
          ],
        },
      });
      const linksDeleted = where ? await tx.recipientLink.deleteMany({ where }) : { count: 0 };
      const doomed = c.id ? await tx.webhookEvent.findMany({ where: { shopDomain, customerId: c.id, id: { not: redactEventId } }, select: { id: true } }) : [];
      const events = await deleteEvents(tx, doomed.map((e) => e.id));
      await emptyPayload(tx, redactEventId);
      await tx.dataRequest.deleteMany({ where: { shopDomain, customerId: c.id ?? "\u0000" } });
      return { links: linksDeleted.count, deliveries: deliveries.count, events: events.count };
    });
  }

  /** Deletes every row of the shop; only the redact event itself stays, emptied, as the record that it ran. */
  async redactShop(shopDomain: string, redactEventId: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      await tx.delivery.deleteMany({ where: { shopDomain } });
      await tx.recipientLink.deleteMany({ where: { shopDomain } });
      await tx.dataRequest.deleteMany({ where: { shopDomain } });
      await tx.recovery.deleteMany({ where: { shopDomain } });
      await tx.closedSubject.deleteMany({ where: { shopDomain } });
      await tx.session.deleteMany({ where: { shop: shopDomain } });
      await deleteEvents(tx, (await tx.webhookEvent.findMany({ where: { shopDomain, id: { not: redactEventId } }, select: { id: true } })).map((e) => e.id));
      await emptyPayload(tx, redactEventId);
      await tx.shop.deleteMany({ where: { domain: shopDomain } });
    });
  }

  /** Marks the shop uninstalled, deletes its sessions, cancels what was still to send. */
  async deactivateShop(shopDomain: string, at: Date): Promise<number> {
    return this.database.transaction(async (tx) => {
      await tx.shop.updateMany({ where: { domain: shopDomain }, data: { uninstalledAt: at } });
      await tx.session.deleteMany({ where: { shop: shopDomain } });
      const cancelled = await tx.delivery.updateMany({
        where: { shopDomain, state: "scheduled" },
        data: { state: "cancelled", lastError: "app uninstalled" },
      });
      return cancelled.count;
    });
  }
}

/** Deletes stored events and their payloads. */
async function deleteEvents(tx: Tx, ids: string[]): Promise<{ count: number }> {
  let count = 0;
  // In slices: a shop's events may be many, and databases cap the parameters of one statement.
  for (let i = 0; i < ids.length; i += 5_000) {
    const slice = ids.slice(i, i + 5_000);
    await tx.webhookPayload.deleteMany({ where: { eventId: { in: slice } } });
    count += (await tx.webhookEvent.deleteMany({ where: { id: { in: slice } } })).count;
  }
  return { count };
}

/** The redact event stays as the record that it ran, without the personal data it carried. */
async function emptyPayload(tx: Tx, eventId: string): Promise<void> {
  await tx.webhookPayload.upsert({ where: { eventId }, create: { eventId, payload: "{}" }, update: { payload: "{}" } });
}
