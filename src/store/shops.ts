import type { Db } from "./db";
import { decryptSecret, encryptSecret, EncryptionKeyError } from "./secrets";
import { shopSettingsSchema, type ShopSettings } from "./shop-settings";

export interface ShopRecord {
  domain: string;
  pageId: string | null;
  hasSecret: boolean;
  couponCode: string | null;
  abandonedDelaysMinutes: number[];
  settings: ShopSettings;
  installed: boolean;
  /** The latest install or reinstall (the last token exchange or authorization-code grant). */
  installedAt: Date | null;
  uninstalledAt: Date | null;
}

/** The shop's name for customers: its setting, else made from the domain ("demo-store" -> "Demo Store"). */
export function shopDisplayName(shop: ShopRecord): string {
  if (shop.settings.shopName) return shop.settings.shopName;
  return shop.domain
    .replace(/\.myshopify\.com$/, "")
    .split("-")
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(" ");
}

export interface ShopSettingsChange {
  pageId?: string;
  joinchatSecret?: string;
  couponCode?: string | null;
  abandonedDelaysMinutes?: number[];
  settings?: Partial<ShopSettings>;
}

type ShopRow = Awaited<ReturnType<Db["shop"]["findUnique"]>> & {};

function toRecord(row: ShopRow): ShopRecord {
  return {
    domain: row.domain,
    pageId: row.pageId,
    hasSecret: row.joinchatSecretEnc !== null,
    couponCode: row.couponCode,
    abandonedDelaysMinutes: row.abandonedDelays.split(",").filter(Boolean).map(Number),
    settings: shopSettingsSchema.parse(JSON.parse(row.settings)),
    installed: row.installedAt !== null && row.uninstalledAt === null,
    installedAt: row.installedAt,
    uninstalledAt: row.uninstalledAt,
  };
}

/** The shops aggregate: per-shop JoinChat settings, the secret sealed at rest. */
export class ShopStore {
  constructor(
    private readonly db: Db,
    private readonly encryptionKey: string | undefined,
  ) {}

  async find(domain: string): Promise<ShopRecord | null> {
    const row = await this.db.shop.findUnique({ where: { domain } });
    return row ? toRecord(row) : null;
  }

  /** The shop's JoinChat secret in clear, for signing; null when none is stored. */
  async joinchatSecret(domain: string): Promise<string | null> {
    const row = await this.db.shop.findUnique({ where: { domain }, select: { joinchatSecretEnc: true } });
    return row?.joinchatSecretEnc ? decryptSecret(row.joinchatSecretEnc, this.encryptionKey) : null;
  }

  /** Creates the shop or changes the given settings; throws EncryptionKeyError before storing a secret without a key. */
  async upsert(domain: string, change: ShopSettingsChange): Promise<ShopRecord> {
    const sealed = change.joinchatSecret === undefined ? undefined : encryptSecret(change.joinchatSecret, this.encryptionKey);
    const existing = await this.db.shop.findUnique({ where: { domain }, select: { settings: true } });
    const settings = change.settings === undefined ? undefined : JSON.stringify(shopSettingsSchema.parse({ ...JSON.parse(existing?.settings ?? "{}"), ...change.settings }));
    const data = {
      pageId: change.pageId,
      joinchatSecretEnc: sealed,
      couponCode: change.couponCode,
      abandonedDelays: change.abandonedDelaysMinutes?.join(","),
      settings,
    };
    const row = await this.db.shop.upsert({ where: { domain }, create: { domain, ...data }, update: data });
    return toRecord(row);
  }

  /**
   * How many of the stored JoinChat secrets this process's ENCRYPTION_KEY cannot open: checked
   * at start, so a changed or missing key stops the app with one line instead of leaving every
   * message unsendable. The secrets themselves are the key check values.
   */
  async secretsUnreadable(): Promise<{ stored: number; unreadable: number }> {
    const rows = await this.db.shop.findMany({ where: { joinchatSecretEnc: { not: null } }, select: { joinchatSecretEnc: true } });
    let unreadable = 0;
    for (const { joinchatSecretEnc } of rows) {
      try {
        decryptSecret(joinchatSecretEnc!, this.encryptionKey);
      } catch (err) {
        if (!(err instanceof EncryptionKeyError)) throw err;
        unreadable++;
      }
    }
    return { stored: rows.length, unreadable };
  }

  /** Whether the shop-specific webhook subscriptions an older version registered are yet to be removed. */
  async hasShopWebhooksToRemove(domain: string): Promise<boolean> {
    const row = await this.db.shop.findUnique({ where: { domain }, select: { shopWebhooksRemovedAt: true } });
    return row !== null && row.shopWebhooksRemovedAt === null;
  }

  async markShopWebhooksRemoved(domain: string, at: Date): Promise<void> {
    await this.db.shop.updateMany({ where: { domain }, data: { shopWebhooksRemovedAt: at } });
  }

  /** The shop's IANA time zone, null until read from Shopify (Results count days in UTC then). */
  async timeZone(domain: string): Promise<string | null> {
    return (await this.db.shop.findUnique({ where: { domain }, select: { timezone: true } }))?.timezone ?? null;
  }

  async setTimeZone(domain: string, timeZone: string): Promise<void> {
    await this.db.shop.updateMany({ where: { domain }, data: { timezone: timeZone } });
  }

  async markInstalled(domain: string, at: Date): Promise<void> {
    await this.db.shop.upsert({
      where: { domain },
      create: { domain, installedAt: at },
      update: { installedAt: at, uninstalledAt: null },
    });
  }

  /**
   * Takes the shop's token lease for `holder` until `until`, unless another holds one past `now`:
   * one conditional update, so of two processes asking at once one gets it. The shop's row is
   * made first when it has none (its first token exchange).
   */
  async takeTokenLease(domain: string, holder: string, now: Date, until: Date): Promise<boolean> {
    // Not an upsert: its read and write in one transaction fail outright on SQLite when another
    // process writes in between, where a lone INSERT waits for the lock.
    if (!(await this.db.shop.findUnique({ where: { domain }, select: { id: true } }))) {
      await this.db.shop.create({ data: { domain } }).catch((err) => {
        // Made by another process at the same moment: the row is there, all this needed.
        if ((err as { code?: string }).code !== "P2002") throw err;
      });
    }
    const { count } = await this.db.shop.updateMany({
      where: { domain, OR: [{ tokenLeaseUntil: null }, { tokenLeaseUntil: { lte: now } }] },
      data: { tokenLeaseBy: holder, tokenLeaseUntil: until },
    });
    return count === 1;
  }

  async releaseTokenLease(domain: string, holder: string): Promise<void> {
    await this.db.shop.updateMany({ where: { domain, tokenLeaseBy: holder }, data: { tokenLeaseBy: null, tokenLeaseUntil: null } });
  }

  /** Admin session tokens issued before `at` stop counting (the app was uninstalled, the shop redacted). */
  async revokeAdminTokens(domain: string, at: Date): Promise<void> {
    await this.db.adminTokenCutoff.upsert({ where: { shopDomain: domain }, create: { shopDomain: domain, notBefore: at }, update: { notBefore: at } });
  }

  /** Since when the shop's admin session tokens count; null when any unexpired one does. */
  async adminTokensNotBefore(domain: string): Promise<Date | null> {
    return (await this.db.adminTokenCutoff.findUnique({ where: { shopDomain: domain } }))?.notBefore ?? null;
  }
}
