import type { Db } from "./db";

export interface LinkRecord {
  uuid: string;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  linkedAt: Date;
}

export interface LinkTarget {
  customerId?: string | null;
  email?: string | null;
  phone?: string | null;
}

/**
 * The uuid links aggregate: which JoinChat uuid reaches which shop visitor. One uuid belongs to
 * one customer per shop; a customer may have several (devices); the newest link wins. linkedAt is
 * when the visitor clicked Send to Messenger: the opening of their 24-hour window.
 */
export class LinkStore {
  constructor(private readonly db: Db) {}

  /** Links (or re-links) a uuid; an empty target keeps it anonymous until an event names its customer. */
  async link(shopDomain: string, uuid: string, target: LinkTarget, at: Date, source = "proxy"): Promise<LinkRecord> {
    const data = {
      linkedAt: at,
      source,
      ...(target.customerId ? { customerId: target.customerId } : {}),
      ...(target.email ? { email: target.email.toLowerCase() } : {}),
      ...(target.phone ? { phone: target.phone } : {}),
    };
    const row = await this.db.recipientLink.upsert({
      where: { shopDomain_uuid: { shopDomain, uuid } },
      create: { shopDomain, uuid, ...data },
      update: data,
    });
    return { uuid: row.uuid, customerId: row.customerId, email: row.email, phone: row.phone, linkedAt: row.linkedAt };
  }

  /** The newest link that reaches this customer, by id, email or phone in that order. */
  async newestFor(shopDomain: string, target: LinkTarget): Promise<LinkRecord | null> {
    for (const where of [
      target.customerId ? { customerId: target.customerId } : null,
      target.email ? { email: target.email.toLowerCase() } : null,
      target.phone ? { phone: target.phone } : null,
    ]) {
      if (!where) continue;
      const row = await this.db.recipientLink.findFirst({ where: { shopDomain, ...where }, orderBy: { linkedAt: "desc" } });
      if (row) return { uuid: row.uuid, customerId: row.customerId, email: row.email, phone: row.phone, linkedAt: row.linkedAt };
    }
    return null;
  }

  async find(shopDomain: string, uuid: string): Promise<LinkRecord | null> {
    const row = await this.db.recipientLink.findUnique({ where: { shopDomain_uuid: { shopDomain, uuid } } });
    return row ? { uuid: row.uuid, customerId: row.customerId, email: row.email, phone: row.phone, linkedAt: row.linkedAt } : null;
  }

  /** Attaches an anonymous (or partly known) link to the customer an event names. */
  async attach(shopDomain: string, uuid: string, target: LinkTarget): Promise<void> {
    const data = {
      ...(target.customerId ? { customerId: target.customerId } : {}),
      ...(target.email ? { email: target.email.toLowerCase() } : {}),
      ...(target.phone ? { phone: target.phone } : {}),
    };
    if (Object.keys(data).length === 0) return;
    await this.db.recipientLink.updateMany({ where: { shopDomain, uuid }, data });
  }

  async unlink(shopDomain: string, uuid: string): Promise<boolean> {
    const r = await this.db.recipientLink.deleteMany({ where: { shopDomain, uuid } });
    return r.count > 0;
  }
}
