import { z } from "zod";
import { MESSAGE_TAGS } from "../messages/limits";
import { PAST_WINDOW_CHOICES } from "../policy/tags";
import type { Db } from "./db";
import { decryptSecret, encryptSecret, EncryptionKeyError } from "./secrets";

/** Settings kept as JSON on the shop row; every field has a default so old rows stay valid. */
export const shopSettingsSchema = z.object({
  automations: z
    .object({
      welcome: z.boolean().default(true),
      abandoned: z.boolean().default(true),
      receipt: z.boolean().default(true),
      shipping: z.boolean().default(true),
    })
    .prefault({}),
  /** Which topic sends the receipt. */
  receiptTopic: z.enum(["orders/create", "orders/paid"]).default("orders/create"),
  /** "static": the shop's coupon code; "unique": a single-use code per customer via the Admin API. */
  couponMode: z.enum(["static", "unique"]).default("static"),
  /** The single-use codes of couponMode "unique": PREFIX-XXXXXXXXXX, percentage off everything, valid for validDays. */
  uniqueCoupon: z
    .object({
      prefix: z
        .string()
        .regex(/^[A-Z0-9]{1,12}$/, "1-12 capital letters or digits")
        .default("WELCOME"),
      percentage: z.number().int().min(1).max(100).default(10),
      validDays: z.number().int().min(1).max(365).default(30),
    })
    .prefault({}),
  /** Whether customers without a uuid link may be reached by their email or phone. */
  recipientOptIn: z.object({ email: z.boolean().default(false), phone: z.boolean().default(false) }).prefault({}),
  language: z.enum(["en", "zh"]).default("en"),
  /** The shop's name as customers know it; defaults to one made from the domain. */
  shopName: z.string().min(1).max(80).optional(),
  /** Receipts and shipping notices past the recipient's 24-hour window: sent with their tag, or held (see src/policy/tags.ts). */
  pastWindow: z.enum(PAST_WINDOW_CHOICES).default("send_tagged"),
  /** Per-shop tag of each transactional automation (see src/policy/tags.ts). */
  tags: z.object({ receipt: z.enum(MESSAGE_TAGS).optional(), shipping: z.enum(MESSAGE_TAGS).optional() }).prefault({}),
  sdkUrl: z.string().optional(),
  templates: z.record(z.string(), z.string()).default({}),
});
export type ShopSettings = z.infer<typeof shopSettingsSchema>;

/** A change to a shop's settings as the admin sends it: any field, nested ones in part. */
export type SettingsChange = Partial<Omit<ShopSettings, "automations" | "uniqueCoupon" | "recipientOptIn" | "tags" | "sdkUrl" | "shopName">> & {
  automations?: Partial<ShopSettings["automations"]>;
  uniqueCoupon?: Partial<ShopSettings["uniqueCoupon"]>;
  recipientOptIn?: Partial<ShopSettings["recipientOptIn"]>;
  tags?: ShopSettings["tags"];
  /** null clears it. */
  sdkUrl?: string | null;
  shopName?: string | null;
};

/** The settings to store for `change` over `current`: nested groups merged field by field, null clearing an optional one. */
export function mergeSettings(current: ShopSettings, change: SettingsChange): Partial<ShopSettings> {
  const out: Partial<ShopSettings> = {};
  for (const [key, value] of Object.entries(change) as [keyof SettingsChange, unknown][]) {
    if (value === undefined) continue;
    const now = current[key as keyof ShopSettings];
    if (value === null) (out as Record<string, unknown>)[key] = undefined;
    else if (typeof value === "object" && !Array.isArray(value) && typeof now === "object" && now !== null) (out as Record<string, unknown>)[key] = { ...now, ...value };
    else (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

export interface ShopRecord {
  domain: string;
  pageId: string | null;
  hasSecret: boolean;
  couponCode: string | null;
  abandonedDelaysMinutes: number[];
  settings: ShopSettings;
  installed: boolean;
  uninstalledAt: Date | null;
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

  async markInstalled(domain: string, at: Date): Promise<void> {
    await this.db.shop.upsert({
      where: { domain },
      create: { domain, installedAt: at },
      update: { installedAt: at, uninstalledAt: null },
    });
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
