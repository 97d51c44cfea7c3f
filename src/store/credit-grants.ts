import type { Database, Db } from "./db";

export interface CreditGrant {
  shopDomain: string;
  customerId: string;
  /** Decimal string in `currency`, as the merchant set it. */
  amount: string;
  currency: string;
  expiresAt: Date | null;
  state: "pending" | "granted";
  transactionId: string | null;
}

/**
 * The welcome message's store-credit grants: at most one row per customer of a shop (the table's
 * key), so the row is the grant's idempotency key. It is claimed before Shopify is asked and
 * settled after: a second try of the event finds it instead of asking again.
 */
export class CreditGrantStore {
  private readonly db: Db;
  constructor(private readonly database: Database) {
    this.db = database.db;
  }

  async find(shopDomain: string, customerId: string): Promise<CreditGrant | null> {
    const row = await this.db.storeCreditGrant.findUnique({ where: { shopDomain_customerId: { shopDomain, customerId } } });
    return row && { ...row, state: row.state === "granted" ? "granted" : "pending" };
  }

  /**
   * Records a pending grant for the customer unless one exists: returns null when this call
   * claimed it (the caller may ask Shopify), else the row an earlier try left.
   */
  async claim(g: Omit<CreditGrant, "state" | "transactionId">): Promise<CreditGrant | null> {
    return this.database.transaction(async (tx) => {
      const key = { shopDomain_customerId: { shopDomain: g.shopDomain, customerId: g.customerId } };
      const earlier = await tx.storeCreditGrant.findUnique({ where: key });
      if (earlier) return { ...earlier, state: earlier.state === "granted" ? "granted" : "pending" };
      await tx.storeCreditGrant.create({ data: { ...g, state: "pending" } });
      return null;
    });
  }

  /** Shopify made the grant: the row says so, with its transaction. */
  async markGranted(shopDomain: string, customerId: string, transactionId: string | null): Promise<void> {
    await this.db.storeCreditGrant.update({ where: { shopDomain_customerId: { shopDomain, customerId } }, data: { state: "granted", transactionId } });
  }

  /** Shopify certainly made no grant (it refused, or the call never reached it): a later try may ask again. */
  async release(shopDomain: string, customerId: string): Promise<void> {
    await this.db.storeCreditGrant.deleteMany({ where: { shopDomain, customerId, state: "pending" } });
  }
}
