import crypto from "node:crypto";
import type { Database } from "./db";
import { DIALECTS, paramList, type Dialect } from "./sql/dialect";

/**
 * What each signed app-proxy query was first used for. Shopify signs the query (shop, customer,
 * timestamp), not the POST body with the uuid: without this, anyone holding a logged-in
 * customer's signed query (a shared link, a log) could post their own uuid with it within the
 * window and be linked to that customer. The first uuid a signature carries is the only one it
 * carries until the binding expires; the same uuid again (a retry, an unlink) is fine. In the
 * database, so a query replayed to another web process meets the same binding.
 */
export class ProxyBindingStore {
  private readonly dialect: Dialect;
  constructor(private readonly database: Database) {
    this.dialect = DIALECTS[database.provider];
  }

  /**
   * Binds `uuid` to the signed query unless it carries another uuid until after `now`; false
   * then. One statement: two processes binding the same query at once get one answer.
   */
  async bind(signature: string, uuid: string, until: Date, now: Date): Promise<boolean> {
    const { params, v } = paramList(this.dialect);
    // The signature is kept only as its hash: a row read from the database replays nothing.
    const key = crypto.createHash("sha256").update(signature).digest("hex");
    // Parameters are placed in text order (SQLite's "?" is positional): the values, then each CASE.
    const values = `(${v(key)}, ${v(uuid)}, ${v(until)})`;
    const unlessLive = (column: string) => `CASE WHEN "ProxyBinding"."expiresAt" <= ${v(now)} THEN excluded."${column}" ELSE "ProxyBinding"."${column}" END`;
    const sql = `INSERT INTO "ProxyBinding" ("key", "uuid", "expiresAt") VALUES ${values}
      ON CONFLICT ("key") DO UPDATE SET "uuid" = ${unlessLive("uuid")}, "expiresAt" = ${unlessLive("expiresAt")} RETURNING "uuid"`;
    const [row] = await this.database.write<{ uuid: string }>(sql, params);
    return row!.uuid === uuid;
  }

  /** Deletes the bindings expired by `now`; returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    return (await this.database.db.proxyBinding.deleteMany({ where: { expiresAt: { lte: now } } })).count;
  }
}
