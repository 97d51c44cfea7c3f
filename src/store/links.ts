import crypto from "node:crypto";
import type { Database, Db } from "./db";
import { DIALECTS, paramList, type Dialect } from "./sql/dialect";

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
  /** The storefront path of the last click (the storefront says it); null for an operator's link or an older click. */
  optInPage: string | null;
}

/** A link as the admin's Subscribers section lists it: with when it was first made. */
export interface LinkListing extends LinkRecord {
  /** The first click (or operator's link) that made it; linkedAt is the latest. */
  createdAt: Date;
}

/** Whom a link is for, as far as it is known; nothing at all means anonymous. */
export interface LinkTarget {
  customerId?: string | null;
  email?: string | null;
  phone?: string | null;
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

/** Two identities that name different people: some field known on both sides and different. */
function conflicts(a: Identity, b: Identity): boolean {
  return IDENTITY.some((k) => a[k] !== null && b[k] !== null && a[k] !== b[k]);
}

/** Whether a link names someone other than the person an event names (a shared device, or a uuid that is someone else's). */
export function linkNamesSomeoneElse(link: LinkRecord, who: LinkTarget): boolean {
  return conflicts(identityOf(link), identityOf(who));
}

type LinkRow = { uuid: string; customerId: string | null; email: string | null; phone: string | null; linkedAt: Date | string; source: string; optInPage: string | null };
const toRecord = (r: LinkRow): LinkRecord => ({
  uuid: r.uuid,
  customerId: r.customerId,
  email: r.email,
  phone: r.phone,
  linkedAt: new Date(r.linkedAt),
  source: r.source,
  optInPage: r.optInPage,
});

const COLUMNS = ["id", "shopDomain", "uuid", "customerId", "email", "phone", "source", "optInPage", "linkedAt", "createdAt"] as const;
const IDENTITY = ["customerId", "email", "phone"] as const;
const RETURNED = `"uuid", "customerId", "email", "phone", "linkedAt", "source", "optInPage"`;

/**
 * The upsert behind LinkStore.link, one statement whatever the link held before:
 *  - a target naming someone (a logged-in click, an operator) takes the uuid: what it knows
 *    replaces what contradicts it, and fills in what was unknown; linkedAt moves (a click);
 *  - an anonymous target (a logged-out click) refreshes only an anonymous link: re-posting a
 *    uuid someone else holds neither takes it over nor reopens its owner's window.
 */
function upsertLinkSql(p: (i: number) => string): string {
  const old = (c: string) => `"RecipientLink"."${c}"`;
  const neu = (c: string) => `excluded."${c}"`;
  const contradicts = IDENTITY.map((c) => `(${neu(c)} IS NOT NULL AND ${old(c)} IS NOT NULL AND ${neu(c)} <> ${old(c)})`).join(" OR ");
  const set = IDENTITY.map((c) => `"${c}" = CASE WHEN ${contradicts} THEN ${neu(c)} ELSE COALESCE(${neu(c)}, ${old(c)}) END`);
  const namesSomeone = IDENTITY.map((c) => `${neu(c)} IS NOT NULL`).join(" OR ");
  const anonymous = IDENTITY.map((c) => `${old(c)} IS NULL`).join(" AND ");
  return `INSERT INTO "RecipientLink" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map((_, i) => p(i + 1)).join(", ")})
    ON CONFLICT ("shopDomain", "uuid") DO UPDATE SET ${set.join(", ")}, "linkedAt" = excluded."linkedAt", "source" = excluded."source", "optInPage" = excluded."optInPage"
    WHERE ${namesSomeone} OR (${anonymous})`;
}

/**
 * LinkStore.newestFor's read: one branch per way of knowing the person, each read by its own
 * index (SQLite read an OR of the three as every link of the shop, sorted: 0.5 ms with 1,000
 * links, growing with the shop). Null for an anonymous target.
 */
export function newestLinkStatement(d: Dialect, shopDomain: string, who: LinkTarget): { sql: string; params: unknown[] } | null {
  const i = identityOf(who);
  const ways = IDENTITY.filter((c) => i[c]);
  if (ways.length === 0) return null;
  const { params, v } = paramList(d);
  // Each branch is written whole before the next: SQLite's "?" are positional.
  const branches = ways.map((c) => `SELECT ${RETURNED}, "createdAt" FROM "RecipientLink" WHERE "shopDomain" = ${v(shopDomain)} AND "${c}" = ${v(i[c])}`);
  return { sql: `SELECT ${RETURNED} FROM (${branches.join(" UNION ALL ")}) AS links ORDER BY "linkedAt" DESC, "createdAt" DESC LIMIT 1`, params };
}

/**
 * The uuid links aggregate: which JoinChat uuid reaches which shop visitor. One uuid belongs to
 * one customer per shop (unique [shopDomain, uuid]); a customer may have several (devices), and
 * the newest link wins.
 *
 * Who a link names comes only from what is trusted: the app proxy's signed
 * logged_in_customer_id, or an operator (link:add by id, email or phone). Nothing an event
 * carries (a cart attribute, an email typed into a checkout) ever changes a link: those are
 * whatever the visitor typed (see recipients/resolver.ts).
 *
 * Writes go through Database.write (on SQLite the writer thread, the one connection that writes
 * while webhooks arrive): a storefront click never waits for, nor fails on, SQLite's write lock
 * held by another connection of this process.
 */
export class LinkStore {
  private readonly db: Db;
  private readonly p: (i: number) => string;
  constructor(private readonly database: Database) {
    this.db = database.db;
    this.p = DIALECTS[database.provider].placeholder;
  }

  /**
   * Links (or re-links) a uuid at `at`, the moment the visitor clicked: that refreshes linkedAt,
   * which reopens their window. A target naming someone else than the link did moves the uuid to
   * them, and the previous owner's email and phone go with the previous owner. An anonymous
   * target changes nothing on a link that names someone (see upsertLinkSql). `optInPage`: the
   * storefront path clicked on, kept with the click (an operator's link has none). Returns the
   * link as it stands.
   */
  async link(shopDomain: string, uuid: string, target: LinkTarget, at: Date, source = "proxy", optInPage: string | null = null): Promise<LinkRecord> {
    const i = identityOf(target);
    const { p } = this;
    const [, rows] = await this.database.writeAll([
      { sql: upsertLinkSql(p), params: [crypto.randomUUID(), shopDomain, uuid, i.customerId, i.email, i.phone, source, optInPage, at, at] },
      { sql: `SELECT ${RETURNED} FROM "RecipientLink" WHERE "shopDomain" = ${p(1)} AND "uuid" = ${p(2)}`, params: [shopDomain, uuid] },
    ]);
    return toRecord(rows![0] as unknown as LinkRow);
  }

  async find(shopDomain: string, uuid: string): Promise<LinkRecord | null> {
    const row = await this.db.recipientLink.findUnique({ where: { shopDomain_uuid: { shopDomain, uuid } } });
    return row ? toRecord(row) : null;
  }

  /**
   * The newest link that reaches this visitor by any of customer id, email or phone (a link made
   * by the storefront knows the id, one an operator made by email knows the email: both are
   * theirs). Null for an anonymous target: it reaches no one in particular.
   */
  async newestFor(shopDomain: string, who: LinkTarget): Promise<LinkRecord | null> {
    const statement = newestLinkStatement(DIALECTS[this.database.provider], shopDomain, who);
    if (!statement) return null;
    // Read for every event that sends: plain SQL, without Prisma (Database.read).
    const [row] = await this.database.read<LinkRow>(statement.sql, statement.params);
    return row ? toRecord(row) : null;
  }

  /**
   * The shop's links, latest click first, one page of them and how many there are: all of them, or
   * those whose uuid or email holds `search` (in any case), whose phone's digits do, or whose
   * customer id it is. Written by hand for LIKE's ESCAPE, which Prisma's `contains` lacks: a "%"
   * or "_" searched for is itself, not a wildcard.
   */
  async search(shopDomain: string, o: { search?: string; offset: number; limit: number }): Promise<{ rows: LinkListing[]; total: number }> {
    const q = o.search?.trim() ?? "";
    const { params, v } = paramList(DIALECTS[this.database.provider]);
    const holds = (column: string, text: string) => `LOWER("${column}") LIKE ${v(`%${text.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`)} ESCAPE '\\'`;
    // Placeholders in the order they appear (SQLite's are positional).
    let where = `"shopDomain" = ${v(shopDomain)}`;
    if (q) {
      const phone = normalizePhone(q);
      const matches = [holds("uuid", q), holds("email", normalizeEmail(q)), ...(/\d/.test(phone) ? [holds("phone", phone)] : []), `"customerId" = ${v(q)}`];
      where += ` AND (${matches.join(" OR ")})`;
    }
    const filter = [...params];
    const [rows, [count]] = await Promise.all([
      this.db.$queryRawUnsafe<(LinkRow & { createdAt: Date | string })[]>(
        `SELECT ${RETURNED}, "createdAt" FROM "RecipientLink" WHERE ${where} ORDER BY "linkedAt" DESC, "id" DESC LIMIT ${v(o.limit)} OFFSET ${v(o.offset)}`,
        ...params,
      ),
      this.db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS "n" FROM "RecipientLink" WHERE ${where}`, ...filter),
    ]);
    return { rows: rows.map((r) => ({ ...toRecord(r), createdAt: new Date(r.createdAt) })), total: Number(count!.n) };
  }

  /** Removes the uuid's link (the visitor asked, from the storefront, or the merchant for them); false when there was none. */
  async unlink(shopDomain: string, uuid: string): Promise<boolean> {
    const { p } = this;
    const rows = await this.database.write(`DELETE FROM "RecipientLink" WHERE "shopDomain" = ${p(1)} AND "uuid" = ${p(2)} RETURNING "id"`, [shopDomain, uuid]);
    return rows.length > 0;
  }
}
