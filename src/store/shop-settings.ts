/**
 * A shop's settings: the schema its stored JSON is read with, and how an admin change merges into
 * it. Free of Node and of the database, so the admin page types its form from the same source.
 */
import { z } from "zod";
import { MESSAGE_TAGS } from "../messages/limits";
import { PAST_WINDOW_CHOICES } from "../policy/tags";

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
  /** Whether promotions pause when JoinChat refuses too many of them (src/policy/promotion-pause.ts). */
  promotionPause: z.boolean().default(true),
  /** When the merchant last resumed paused promotions (ISO time): the refusal count starts afresh from it. */
  promotionsResumedAt: z.string().optional(),
  /**
   * How Results count an order as recovered: "strict", an order completing the recalled checkout;
   * "window", any order by the same customer within windowDays of a sent recall. holdoutPercent
   * of abandoned checkouts get no recall, for comparison (src/policy/holdout.ts).
   */
  results: z
    .object({
      attribution: z.enum(["strict", "window"]).default("strict"),
      windowDays: z.number().int().min(1).max(30).default(7),
      // Beyond half, the recalls themselves would be the exception.
      holdoutPercent: z.number().int().min(0).max(50).default(0),
    })
    .prefault({}),
  templates: z.record(z.string(), z.string()).default({}),
});
export type ShopSettings = z.infer<typeof shopSettingsSchema>;

/** A change to a shop's settings as the admin sends it: any field, nested ones in part. */
export type SettingsChange = Partial<Omit<ShopSettings, "automations" | "uniqueCoupon" | "recipientOptIn" | "tags" | "sdkUrl" | "shopName" | "results">> & {
  results?: Partial<ShopSettings["results"]>;
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
