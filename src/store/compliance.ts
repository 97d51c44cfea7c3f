import type { Database, Db, Tx } from "./db";
import { normalizeEmail, normalizePhone } from "./links";
import { subjectKey } from "./keys";

export interface CustomerRef {
  id: string | null;
  email: string | null;
  phone: string | null;
}

export interface CustomerReport {
  customerId: string | null;
  /** optInPage: the storefront page of the latest click (absent from reports made before the app recorded it). */
  links: { uuid: string; linkedAt: string; source: string; optInPage?: string | null }[];
  deliveries: { automation: string; state: string; createdAt: string; sentAt: string | null; body: string | null }[];
  /** The welcome store credit granted to them (at most one), as recorded when Shopify was asked. */
  storeCredit?: { amount: string; currency: string; expiresAt: string | null; state: string; transactionId: string | null; createdAt: string }[];
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
    const grants = c.id ? await this.db.storeCreditGrant.findMany({ where: { shopDomain, customerId: c.id } }) : [];
    return {
      customerId: c.id,
      links: links.map((l) => ({ uuid: l.uuid, linkedAt: l.linkedAt.toISOString(), source: l.source, optInPage: l.optInPage })),
      deliveries: deliveries.map((d) => ({
        automation: d.automation,
        state: d.state,
        createdAt: d.createdAt.toISOString(),
        sentAt: d.sentAt?.toISOString() ?? null,
        body: d.sentBody ?? d.message,
      })),
      storeCredit: grants.map((g) => ({
        amount: g.amount,
        currency: g.currency,
        expiresAt: g.expiresAt?.toISOString() ?? null,
        state: g.state,
        transactionId: g.transactionId,
        createdAt: g.createdAt.toISOString(),
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
   * Deletes every trace of the customer. `keys` are their identity keys (src/events/customer-traces.ts:
   * "c:<id>", and the hashes of their email and phone). Gone: the stored events that name them,
   * processed or not, with their payloads (by customer id, or a guest's by email or phone hash in
   * `traces`), and every event of their orders (the fulfillments of one carry its id); every
   * message to them or about them (by customer id, a uuid of theirs, addressed to their email or
   * phone, about one of their orders, or made from one of their events), scheduled ones included,
   * so none is sent; their links, data-request reports, recovered-order rows and store-credit grant
   * record. The keys are
   * kept (hashes and an id, no personal data) so that an event of theirs still waiting to be
   * handled is deleted when its turn comes (src/events/processor.ts). The redact event itself
   * stays as the record that it ran, its payload emptied.
   */
  async redactCustomer(shopDomain: string, c: CustomerRef, keys: string[], orderIds: string[], redactEventId: string, at: Date) {
    const where = this.linkWhere(shopDomain, c);
    const links = where ? await this.db.recipientLink.findMany({ where, select: { uuid: true } }) : [];
    const recipientKeys = [
      ...links.map((l) => `${shopDomain}|uuid:${l.uuid}`),
      // Email and phone recipients are keyed as the resolver wrote them (trimmed): both spellings.
      ...(c.email ? [`${shopDomain}|email:${c.email.trim()}`, `${shopDomain}|email:${normalizeEmail(c.email)}`] : []),
      ...(c.phone ? [`${shopDomain}|phone:${c.phone.trim()}`, `${shopDomain}|phone:${normalizePhone(c.phone)}`] : []),
    ];
    const hashes = keys.filter((k) => !k.startsWith("c:"));
    const named = await this.db.webhookEvent.findMany({
      where: { shopDomain, id: { not: redactEventId }, OR: [...(c.id ? [{ customerId: c.id }] : []), ...hashes.map((k) => ({ traces: { contains: ` ${k} ` } }))] },
      select: { id: true, traces: true },
    });
    // Their orders: those the request names, and those their events are.
    const orders = new Set(orderIds);
    for (const e of named) for (const m of (e.traces ?? "").matchAll(/ o:(\S+)/g)) orders.add(m[1]!);
    const ofOrders: { id: string }[] = [];
    const orderList = [...orders];
    for (let i = 0; i < orderList.length; i += 100) {
      const slice = orderList.slice(i, i + 100);
      ofOrders.push(
        ...(await this.db.webhookEvent.findMany({
          where: { shopDomain, id: { not: redactEventId }, OR: slice.map((o) => ({ traces: { contains: ` o:${o} ` } })) },
          select: { id: true },
        })),
      );
    }
    const eventIds = [...new Set([...named, ...ofOrders].map((e) => e.id))];
    // The uuids their carts carried (a guest checkout's browser): links and messages of those go too.
    const cartUuids = new Set<string>();
    for (const e of named) for (const m of (e.traces ?? "").matchAll(/ u:(\S+)/g)) cartUuids.add(m[1]!);
    const cartLinks = cartUuids.size ? { shopDomain, uuid: { in: [...cartUuids] } } : null;
    recipientKeys.push(...[...cartUuids].map((u) => `${shopDomain}|uuid:${u}`));
    const subjectKeys = orderList.flatMap((o) => [subjectKey.order(o), subjectKey.payment(o)]);
    return this.database.transaction(async (tx) => {
      let deliveries = 0;
      // In slices, like the events: the parameters of one statement are capped.
      for (let i = 0; i < Math.max(1, eventIds.length, subjectKeys.length); i += 5_000) {
        const or = [
          ...(i === 0 && c.id ? [{ customerId: c.id }] : []),
          ...(i === 0 ? [{ recipientKey: { in: recipientKeys } }] : []),
          { subjectKey: { in: subjectKeys.slice(i, i + 5_000) } },
          { eventId: { in: eventIds.slice(i, i + 5_000) } },
        ];
        deliveries += (await tx.delivery.deleteMany({ where: { shopDomain, OR: or } })).count;
      }
      // Their clicks on message buttons: by customer, and by the recipients their messages went to.
      await tx.messageClick.deleteMany({ where: { shopDomain, OR: [...(c.id ? [{ customerId: c.id }] : []), { recipientKey: { in: recipientKeys } }] } });
      const linkWheres = [where, cartLinks].filter((w): w is NonNullable<typeof w> => w !== null);
      const linksDeleted = linkWheres.length ? await tx.recipientLink.deleteMany({ where: { OR: linkWheres } }) : { count: 0 };
      const events = await deleteEvents(tx, eventIds);
      await emptyPayload(tx, redactEventId);
      await tx.dataRequest.deleteMany({ where: { shopDomain, customerId: c.id ?? "\u0000" } });
      await tx.recovery.deleteMany({ where: { shopDomain, orderId: { in: orderList } } });
      if (c.id) await tx.storeCreditGrant.deleteMany({ where: { shopDomain, customerId: c.id } });
      await tx.recallGroup.deleteMany({ where: { shopDomain, orderId: { in: orderList } } });
      for (const key of keys) {
        await tx.redactedCustomer.upsert({ where: { shopDomain_key: { shopDomain, key } }, create: { shopDomain, key, redactedAt: at }, update: { redactedAt: at } });
      }
      return { links: linksDeleted.count, deliveries, events: events.count };
    });
  }

  /** Whether any customer of the shop was redacted (most shops: none, and no event is checked). */
  async hasRedactions(shopDomain: string): Promise<boolean> {
    return (await this.db.redactedCustomer.findFirst({ where: { shopDomain }, select: { key: true } })) !== null;
  }

  /** Whether an event received at `receivedAt` with these identity keys is about a customer redacted since. */
  async isRedacted(shopDomain: string, keys: string[], receivedAt: Date): Promise<boolean> {
    if (keys.length === 0) return false;
    return (await this.db.redactedCustomer.findFirst({ where: { shopDomain, key: { in: keys }, redactedAt: { gte: receivedAt } }, select: { key: true } })) !== null;
  }

  /** Deletes one stored event and its payload (an event about a redacted customer). */
  async deleteEvent(id: string): Promise<void> {
    await this.database.transaction((tx) => deleteEvents(tx, [id]));
  }

  /** Deletes every row of the shop; only the redact event itself stays, emptied, as the record that it ran. */
  async redactShop(shopDomain: string, redactEventId: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      await tx.delivery.deleteMany({ where: { shopDomain } });
      await tx.messageClick.deleteMany({ where: { shopDomain } });
      await tx.recipientLink.deleteMany({ where: { shopDomain } });
      await tx.dataRequest.deleteMany({ where: { shopDomain } });
      await tx.recovery.deleteMany({ where: { shopDomain } });
      await tx.storeCreditGrant.deleteMany({ where: { shopDomain } });
      await tx.recallGroup.deleteMany({ where: { shopDomain } });
      await tx.closedSubject.deleteMany({ where: { shopDomain } });
      await tx.subjectVersion.deleteMany({ where: { shopDomain } });
      await tx.redactedCustomer.deleteMany({ where: { shopDomain } });
      await tx.session.deleteMany({ where: { shop: shopDomain } });
      await deleteEvents(
        tx,
        (await tx.webhookEvent.findMany({ where: { shopDomain, id: { not: redactEventId } }, select: { id: true } })).map((e) => e.id),
      );
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
        data: { state: "cancelled", lastError: "app uninstalled", reasonCode: "uninstalled" },
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
