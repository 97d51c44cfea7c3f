import { Session } from "@shopify/shopify-api";
import type { Db } from "./db";

/** Shopify OAuth sessions in the Session table, as @shopify/shopify-api's Session serialises them. */
export class SessionStore {
  constructor(private readonly db: Db) {}

  async store(session: Session): Promise<void> {
    const data = {
      shop: session.shop,
      state: session.state,
      isOnline: session.isOnline,
      scope: session.scope ?? null,
      expires: session.expires ?? null,
      accessToken: session.accessToken ?? "",
      userId: session.onlineAccessInfo?.associated_user?.id ? String(session.onlineAccessInfo.associated_user.id) : null,
    };
    await this.db.session.upsert({ where: { id: session.id }, create: { id: session.id, ...data }, update: data });
  }

  async load(id: string): Promise<Session | null> {
    const row = await this.db.session.findUnique({ where: { id } });
    if (!row) return null;
    return new Session({
      id: row.id,
      shop: row.shop,
      state: row.state,
      isOnline: row.isOnline,
      scope: row.scope ?? undefined,
      expires: row.expires ?? undefined,
      accessToken: row.accessToken,
    });
  }

  /** The shop's offline session (what background work uses for the Admin API), if installed. */
  async offline(shop: string): Promise<Session | null> {
    return this.load(`offline_${shop}`);
  }

  async deleteForShop(shop: string): Promise<void> {
    await this.db.session.deleteMany({ where: { shop } });
  }
}
