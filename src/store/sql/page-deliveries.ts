import { paramList, type Dialect } from "./dialect";

/** What the merchant narrows the delivery log by; every field optional but the shop and the page size. */
export interface DeliveryFilter {
  state?: string;
  automation?: string;
  /** An order's name as the shop writes it ("#1001"), or its number ("1001"): matched exactly. */
  order?: string;
  /** Words of the customer's name or email, or the recipient's uuid: matched as a part of the row's `search`. */
  q?: string;
  /** Created at or after `from`, and before `to`. */
  from?: Date;
  to?: Date;
  /** After the row created at `createdAt` with `id` (the previous page's last). */
  before?: { createdAt: Date; id: string };
  limit: number;
}

/** `text` as a LIKE pattern that matches it anywhere, its own % and _ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The names an order number may be stored under: as typed, and with the "#" Shopify puts before it. */
export const orderNames = (order: string): string[] => {
  const name = order.trim().toLowerCase();
  return name.startsWith("#") ? [name] : [name, `#${name}`];
};

/**
 * The ids of one page of a shop's delivery log, newest first, `limit + 1` of them (one more tells
 * that another page follows). An order is found through the (shopDomain, orderName) index; a
 * state through (shopDomain, state, createdAt), read in order; anything else through
 * (shopDomain, createdAt), read newest first from the cursor or `to` and stopped once the page is
 * full: a search by name or email checks rows one by one, but only the shop's, and only until it
 * has a page (a rare word reads the shop's whole log, a common one a page of it).
 */
export function pageDeliveriesStatement(d: Dialect, shopDomain: string, f: DeliveryFilter): { sql: string; params: unknown[] } {
  const { params, v } = paramList(d);
  const where = [`"shopDomain" = ${v(shopDomain)}`];
  if (f.state) where.push(`"state" = ${v(f.state)}`);
  if (f.automation) where.push(`"automation" = ${v(f.automation)}`);
  if (f.order) where.push(`"orderName" IN (${orderNames(f.order).map(v).join(", ")})`);
  if (f.q) where.push(`"search" LIKE ${v(containing(f.q.trim().toLowerCase()))} ESCAPE '\\'`);
  if (f.from) where.push(`"createdAt" >= ${v(f.from)}`);
  if (f.to) where.push(`"createdAt" < ${v(f.to)}`);
  if (f.before) {
    const at = f.before.createdAt;
    where.push(`("createdAt" < ${v(at)} OR ("createdAt" = ${v(at)} AND "id" < ${v(f.before.id)}))`);
  }
  // An order's few rows are sorted, not read in creation order: SQLite, without statistics, would
  // rather walk the shop's whole log by (shopDomain, createdAt) to spare the sort.
  const newest = f.order ? d.noIndex('"createdAt"') : '"createdAt"';
  const sql = `SELECT "id" FROM "Delivery" WHERE ${where.join(" AND ")} ORDER BY ${newest} DESC, "id" DESC LIMIT ${v(f.limit + 1)}`;
  return { sql, params };
}
