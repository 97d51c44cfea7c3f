import type { Database, Db, Tx } from "./db";

/** One JoinChat uuid of a shop and whom it reaches; all null: an anonymous visitor. */
export interface LinkRecord {
  uuid: string;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  /** When the visitor last clicked Send to Messenger: the opening of their 24-hour window. */
  linkedAt: Date;
  /** Who made the link: "proxy" (the storefront), "cli" (an operator). */
  source: string;
}

/** Whom a link is for, as far as it is known; nothing at all means anonymous. */
export interface LinkTarget {
  customerId?: string | null;
  email?: string | null;
  phone?: string | null;
}

/**
 * The uuid is already linked to someone else than the customer an event names: attaching it would
 * hand one customer's Messenger another customer's messages. Callers skip the uuid instead.
 */
export class LinkOwnedByAnotherCustomerError extends Error {
  readonly name = "LinkOwnedByAnotherCustomerError";
  constructor(readonly uuid: string) {
    super(`uuid ${uuid} is linked to another customer: not attached`);
  }
}

/** Emails compare case-insensitively (Shopify keeps what the customer typed). */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
/** Phones compare by digits and a leading "+": "+852 1234-5678" and "+85212345678" are one number. */
export const normalizePhone = (phone: string): string => phone.trim().replace(/[\s().-]/g, "");

interface Identity {
  customerId: string | null;
  email: string | null;
  phone: string | null;
}

function identityOf(t: LinkTarget): Identity {
  return {
    customerId: t.customerId || null,
    email: t.email ? normalizeEmail(t.email) : null,
    phone: t.phone ? normalizePhone(t.phone) : null,
  };
}

const isAnonymous = (i: Identity) => !i.customerId && !i.email && !i.phone;

/** Two identities that name different people: some field known on both sides and different. */
function conflicts(a: Identity, b: Identity): boolean {
  return (["customerId", "email", "phone"] as const).some((k) => a[k] !== null && b[k] !== null && a[k] !== b[k]);
}

/** Fills what `b` knows into `a` (same person, more detail). */
const merge = (a: Identity, b: Identity): Identity => ({
  customerId: b.customerId ?? a.customerId,
  email: b.email ?? a.email,
  phone: b.phone ?? a.phone,
});

type LinkRow = NonNullable<Awaited<ReturnType<Db["recipientLink"]["findUnique"]>>>;
const toRecord = (r: LinkRow): LinkRecord => ({ uuid: r.uuid, customerId: r.customerId, email: r.email, phone: r.phone, linkedAt: r.linkedAt, source: r.source });

/**
 * The uuid links aggregate: which JoinChat uuid reaches which shop visitor. One uuid belongs to
 * one customer per shop (unique [shopDomain, uuid]); a customer may have several (devices), and
 * the newest link wins. Writes go through the database's transaction, which on SQLite also takes
 * the write lock: a link the storefront was told is made must not be undone by another writer's
 * rollback on the shared connection.
 */
export class LinkStore {
  private readonly db: Db;
  constructor(private readonly database: Database) {
    this.db = database.db;
  }

  private findIn(tx: Tx | Db, shopDomain: string, uuid: string) {
    return tx.recipientLink.findUnique({ where: { shopDomain_uuid: { shopDomain, uuid } } });
  }

  /**
   * Links (or re-links) a uuid at `at`, the moment the visitor clicked: that refreshes linkedAt,
   * which reopens their window. An anonymous target keeps whom the uuid is already known to reach
   * (the same visitor, logged out). A target naming someone else moves the uuid to them, and the
   * previous owner's email and phone go with the previous owner.
   */
  async link(shopDomain: string, uuid: string, target: LinkTarget, at: Date, source = "proxy"): Promise<LinkRecord> {
    const wanted = identityOf(target);
    return this.database.transaction(async (tx) => {
      const existing = await this.findIn(tx, shopDomain, uuid);
      const identity = !existing ? wanted : conflicts(existing, wanted) ? wanted : merge(existing, wanted);
      const row = await tx.recipientLink.upsert({
        where: { shopDomain_uuid: { shopDomain, uuid } },
        create: { shopDomain, uuid, ...identity, linkedAt: at, source },
        update: { ...identity, linkedAt: at, source },
      });
      return toRecord(row);
    });
  }

  async find(shopDomain: string, uuid: string): Promise<LinkRecord | null> {
    const row = await this.findIn(this.db, shopDomain, uuid);
    return row ? toRecord(row) : null;
  }

  /**
   * The newest link that reaches this visitor by any of customer id, email or phone (a link made
   * by the storefront knows the id, one imported by email knows the email: both are theirs).
   * Null for an anonymous target: it reaches no one in particular.
   */
  async newestFor(shopDomain: string, who: LinkTarget): Promise<LinkRecord | null> {
    const i = identityOf(who);
    const or = [
      ...(i.customerId ? [{ customerId: i.customerId }] : []),
      ...(i.email ? [{ email: i.email }] : []),
      ...(i.phone ? [{ phone: i.phone }] : []),
    ];
    if (or.length === 0) return null;
    const row = await this.db.recipientLink.findFirst({
      where: { shopDomain, OR: or },
      orderBy: [{ linkedAt: "desc" }, { createdAt: "desc" }],
    });
    return row ? toRecord(row) : null;
  }

  /**
   * Attaches a link (an anonymous one, typically: found by the uuid a cart attribute carried) to
   * the visitor an event names. linkedAt stays: attaching is not the visitor's click. Null when
   * the uuid has no link; LinkOwnedByAnotherCustomerError when it is someone else's.
   */
  async attach(shopDomain: string, uuid: string, who: LinkTarget): Promise<LinkRecord | null> {
    const wanted = identityOf(who);
    return this.database.transaction(async (tx) => {
      const existing = await this.findIn(tx, shopDomain, uuid);
      if (!existing) return null;
      if (conflicts(existing, wanted)) throw new LinkOwnedByAnotherCustomerError(uuid);
      const identity = merge(existing, wanted);
      if (isAnonymous(wanted) || (identity.customerId === existing.customerId && identity.email === existing.email && identity.phone === existing.phone)) {
        return toRecord(existing);
      }
      return toRecord(await tx.recipientLink.update({ where: { id: existing.id }, data: identity }));
    });
  }

  /**
   * Attaches the links known only by this customer's email or phone (an import, a guest checkout)
   * to their customer id, so the id finds them next time and customers/redact by id removes them.
   * Returns how many were attached.
   */
  async attachByContact(shopDomain: string, who: LinkTarget): Promise<number> {
    const i = identityOf(who);
    if (!i.customerId || (!i.email && !i.phone)) return 0;
    // Matches on one contact and must not contradict the other (the same email with another
    // phone may be a shared family inbox: leave such a link alone).
    const or = [
      ...(i.email ? [{ email: i.email, OR: [{ phone: null }, ...(i.phone ? [{ phone: i.phone }] : [])] }] : []),
      ...(i.phone ? [{ phone: i.phone, OR: [{ email: null }, ...(i.email ? [{ email: i.email }] : [])] }] : []),
    ];
    const customerId = i.customerId;
    return this.database.transaction(async (tx) => (await tx.recipientLink.updateMany({ where: { shopDomain, customerId: null, OR: or }, data: { customerId } })).count);
  }

  /** Removes the uuid's link (the visitor asked, from the storefront); false when there was none. */
  async unlink(shopDomain: string, uuid: string): Promise<boolean> {
    return this.database.transaction(async (tx) => (await tx.recipientLink.deleteMany({ where: { shopDomain, uuid } })).count > 0);
  }
}
