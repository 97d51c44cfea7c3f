import { Session } from "@shopify/shopify-api";
import type { Db } from "./db";
import { decryptSecret, encryptSecret, isSealed } from "./secrets";

/**
 * Shopify access tokens in the Session table, as @shopify/shopify-api's Session serialises them.
 * The access and refresh tokens are sealed at rest with ENCRYPTION_KEY, like the JoinChat secrets:
 * storing one without the key throws EncryptionKeyError and stores nothing. A row an older version
 * of the app wrote holds its non-expiring token in clear; it is read as it is (an offline session
 * without `expires`), and replaced by an expiring one (src/shopify/offline-tokens.ts).
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly encryptionKey: string | undefined,
  ) {}

  async store(session: Session): Promise<void> {
    const data = {
      shop: session.shop,
      state: session.state,
      isOnline: session.isOnline,
      scope: session.scope ?? null,
      expires: session.expires ?? null,
      accessToken: encryptSecret(session.accessToken ?? "", this.encryptionKey),
      refreshToken: session.refreshToken ? encryptSecret(session.refreshToken, this.encryptionKey) : null,
      refreshTokenExpires: session.refreshTokenExpires ?? null,
      userId: session.onlineAccessInfo?.associated_user?.id ? String(session.onlineAccessInfo.associated_user.id) : null,
    };
    await this.db.session.upsert({ where: { id: session.id }, create: { id: session.id, ...data }, update: data });
  }

  async load(id: string): Promise<Session | null> {
    const row = await this.db.session.findUnique({ where: { id } });
    if (!row) return null;
    const open = (v: string) => (isSealed(v) ? decryptSecret(v, this.encryptionKey) : v);
    return new Session({
      id: row.id,
      shop: row.shop,
      state: row.state,
      isOnline: row.isOnline,
      scope: row.scope ?? undefined,
      expires: row.expires ?? undefined,
      accessToken: open(row.accessToken),
      refreshToken: row.refreshToken ? open(row.refreshToken) : undefined,
      refreshTokenExpires: row.refreshTokenExpires ?? undefined,
    });
  }

  /** The shop's offline session (what background work uses for the Admin API), if installed. */
  async offline(shop: string): Promise<Session | null> {
    return this.load(`offline_${shop}`);
  }

  /**
   * The scopes the shop's offline token carries, as Shopify last reported them (token exchange,
   * refresh, app/scopes_update); null when the app has no token or no list. Read without opening
   * the token.
   */
  async grantedScopes(shop: string): Promise<string[] | null> {
    const row = await this.db.session.findUnique({ where: { id: `offline_${shop}` }, select: { scope: true } });
    if (!row?.scope) return null;
    return row.scope
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  }

  /** Shops whose offline token does not expire (stored by an older version), or whose refresh token lapses after `now` and by `by`. */
  async offlineDueForRenewal(now: Date, by: Date): Promise<string[]> {
    const rows = await this.db.session.findMany({
      where: { isOnline: false, OR: [{ expires: null }, { refreshTokenExpires: { gt: now, lte: by } }] },
      select: { shop: true },
    });
    return rows.map((r) => r.shop);
  }

  /** app/scopes_update: the scopes the merchant granted now. */
  async updateScopes(shop: string, scope: string): Promise<number> {
    return (await this.db.session.updateMany({ where: { shop }, data: { scope } })).count;
  }

  /** Forgets the shop's offline token (Shopify refused it for good): its next admin load exchanges a new one. */
  async deleteOffline(shop: string): Promise<void> {
    await this.db.session.deleteMany({ where: { id: `offline_${shop}` } });
  }

  async deleteForShop(shop: string): Promise<void> {
    await this.db.session.deleteMany({ where: { shop } });
  }
}
