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

  /** The shop's data-request reports, newest first, without their contents. */
  async dataRequests(shopDomain: string): Promise<{ id: string; customerId: string | null; createdAt: Date }[]> {
    return this.db.dataRequest.findMany({ where: { shopDomain }, orderBy: { createdAt: "desc" }, select: { id: true, customerId: true, createdAt: true }, take: 500 });
  }

  /** One report of the shop's, or null (another shop's is not found either). */
  async dataRequest(shopDomain: string, id: string): Promise<{ id: string; customerId: string | null; createdAt: Date; report: CustomerReport } | null> {
    const row = await this.db.dataRequest.findFirst({ where: { shopDomain, id } });
    return row && { id: row.id, customerId: row.customerId, createdAt: row.createdAt, report: JSON.parse(row.report) as CustomerReport };
  }

  /**
   * The shop's stored events with their payloads, in pages, oldest first (the redact event itself
   * left out): customers/redact reads them all to find the ones that name the customer.
   */
  async *eventPayloads(shopDomain: string, exceptId: string, pageSize = 500): AsyncGenerator<{ id: string; topic: string; payload: string }[]> {
    let after = "";
    for (;;) {
      const events = await this.db.webhookEvent.findMany({
        where: { shopDomain, id: { gt: after, not: exceptId } },
        orderBy: { id: "asc" },
        take: pageSize,
        select: { id: true, topic: true },
      });
      if (events.length === 0) return;
      const payloads = new Map((await this.db.webhookPayload.findMany({ where: { eventId: { in: events.map((e) => e.id) } } })).map((p) => [p.eventId, p.payload]));
      yield events.map((e) => ({ ...e, payload: payloads.get(e.id) ?? "{}" }));
      after = events[events.length - 1]!.id;
    }
  }

  /**
   * Deletes every trace of the customer: their links; every message to them (by customer id, by
   * a uuid of theirs, addressed to their email or phone, about one of their orders or checkouts,
   * or made from one of their events), scheduled ones included, so none is sent; the stored
   * events that name them (`traces`, found by src/events/compliance.ts), processed or not, with
   * their payloads; their data-request reports; the recovered-revenue rows of their orders. The
   * redact event itself stays as the record that it ran, its payload emptied.
   */
  async redactCustomer(shopDomain: string, c: CustomerRef, traces: { orderIds: string[]; eventIds: string[]; subjectKeys: string[] }, redactEventId: string) {
    const where = this.linkWhere(shopDomain, c);
    const links = where ? await this.db.recipientLink.findMany({ where, select: { uuid: true } }) : [];
    const recipientKeys = [
      ...links.map((l) => `${shopDomain}|uuid:${l.uuid}`),
      // Email and phone recipients are keyed as the resolver wrote them (trimmed): both spellings.
      ...(c.email ? [`${shopDomain}|email:${c.email.trim()}`, `${shopDomain}|email:${normalizeEmail(c.email)}`] : []),
      ...(c.phone ? [`${shopDomain}|phone:${c.phone.trim()}`, `${shopDomain}|phone:${normalizePhone(c.phone)}`] : []),
    ];
    const subjectKeys = [...new Set([...traces.subjectKeys, ...traces.orderIds.map((id) => `order:${id}`)])];
    return this.database.transaction(async (tx) => {
      let deliveries = 0;
      // In slices, like the events: the parameters of one statement are capped.
      for (let i = 0; i < Math.max(1, traces.eventIds.length, subjectKeys.length); i += 5_000) {
        const or = [
          ...(i === 0 && c.id ? [{ customerId: c.id }] : []),
          ...(i === 0 ? [{ recipientKey: { in: recipientKeys } }] : []),
          { subjectKey: { in: subjectKeys.slice(i, i + 5_000) } },
          { eventId: { in: traces.eventIds.slice(i, i + 5_000) } },
        ];
        deliveries += (await tx.delivery.deleteMany({ where: { shopDomain, OR: or } })).count;
      }
      const linksDeleted = where ? await tx.recipientLink.deleteMany({ where }) : { count: 0 };
      const events = await deleteEvents(tx, traces.eventIds.filter((id) => id !== redactEventId));
      await emptyPayload(tx, redactEventId);
      await tx.dataRequest.deleteMany({ where: { shopDomain, customerId: c.id ?? "\u0000" } });
      await tx.recovery.deleteMany({ where: { shopDomain, orderId: { in: traces.orderIds } } });
      return { links: linksDeleted.count, deliveries, events: events.count };
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
      await tx.subjectVersion.deleteMany({ where: { shopDomain } });
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
