/**
 * A shop's settings: the schema its stored JSON is read with, and how an admin change merges into
 * it. Free of Node and of the database, so the admin page types its form from the same source.
 */
import { z } from "zod";
import { LIMITS, PAST_WINDOW_TAGS, type PastWindowTag } from "../messages/limits";
import { PAST_WINDOW_CHOICES } from "../policy/send-decision";
import {
  AUTOMATION_NAMES,
  BOT_BUTTON_AUTOMATIONS,
  OWN_SETTINGS_GROUPS,
  OWN_SETTINGS_STORED,
  SWITCHED_AUTOMATIONS,
  TAG_SETTING_NAMES,
  type AutomationName,
  type BotButtonAutomation,
  type OwnSettingsGroup,
  type SwitchedAutomation,
  type TagSetting,
} from "../policy/automations";

/**
 * A button that starts a block or a flow of the shop's JoinChat bot: a postback button whose
 * payload is `{"block_id":N}` or `{"flow_id":N}`, the two JoinChat understands (JOINCHAT_API.md).
 */
export const botButtonSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .refine((t) => t.length <= LIMITS.buttonTitleChars, `at most ${LIMITS.buttonTitleChars} characters (JoinChat's limit for a button's title)`),
  start: z.enum(["block", "flow"]),
  id: z
    .number({ error: "must be a number: the block's or flow's id in JoinChat" })
    .int("must be a whole number: the block's or flow's id in JoinChat")
    .positive("must be a positive whole number: the block's or flow's id in JoinChat")
    .max(Number.MAX_SAFE_INTEGER, "is too large to be a JoinChat id"),
});
export type BotButton = z.infer<typeof botButtonSchema>;

/** The store credit a new customer's welcome message grants through Shopify (one grant per customer). */
export const storeCreditSchema = z.object({
  amount: z
    .string()
    .regex(/^\d{1,9}(\.\d{1,3})?$/, "an amount such as 5 or 5.00")
    .refine((a) => Number(a) > 0, "must be more than 0"),
  currency: z.string().regex(/^[A-Z]{3}$/, "a three-letter currency code such as USD"),
  /** Days the credit lasts after the grant; none: it does not expire. */
  expiresInDays: z.number().int("a whole number of days").min(1, "at least 1 day").max(3650, "at most 3650 days").optional(),
});
export type StoreCreditSetting = z.infer<typeof storeCreditSchema>;

/** Settings kept as JSON on the shop row; every field has a default so old rows stay valid. */
/** How Results count an order as recovered (ShopSettings.results.attribution): src/store/results.ts says each in words. */
export const ATTRIBUTION_RULES = ["strict", "window", "click"] as const;

export const UNANSWERED_CHOICES = ["once", "never", "until_answered"] as const;
export type UnansweredChoice = (typeof UNANSWERED_CHOICES)[number];

export const shopSettingsSchema = z.object({
  /** The automations switched on and off as a whole, each on until the merchant turns it off. */
  automations: z.object(Object.fromEntries(SWITCHED_AUTOMATIONS.map((a) => [a, z.boolean().default(true)])) as Record<SwitchedAutomation, z.ZodDefault<z.ZodBoolean>>).prefault({}),
  /** The settings automations have of their own (delivery updates by status, the payment reminder, the receipt's topic), as the catalog declares them. */
  ...OWN_SETTINGS_STORED,
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
  /** Receipts, shipping notices and delivery updates past the recipient's 24-hour window: sent with their tag, or held (see src/policy/send-decision.ts). */
  pastWindow: z.enum(PAST_WINDOW_CHOICES).default("hold"),
  /** Per-shop tag of each tag setting of the catalog's transactional automations (see src/policy/send-decision.ts). */
  // A tag retired in 2020 stored by an earlier version reads as no choice (the default tag).
  tags: z
    .object(
      Object.fromEntries(TAG_SETTING_NAMES.map((t) => [t, z.enum(PAST_WINDOW_TAGS).optional().catch(undefined)])) as Record<
        TagSetting,
        z.ZodCatch<z.ZodOptional<z.ZodEnum<{ [K in PastWindowTag]: K }>>>
      >,
    )
    .prefault({}),
  sdkUrl: z.string().optional(),
  /** The bot button each automation's message carries, if any (of those that can carry one). */
  botButtons: z
    .object(Object.fromEntries(BOT_BUTTON_AUTOMATIONS.map((a) => [a, botButtonSchema.optional()])) as Record<BotButtonAutomation, z.ZodOptional<typeof botButtonSchema>>)
    .prefault({}),
  /** What a new customer gets besides the coupon, named in the welcome message: loyalty points (a figure only) and store credit (granted). */
  signupReward: z
    .object({
      points: z.number().int("a whole number of points").min(1, "at least 1 point").max(100_000_000, "at most 100,000,000 points").optional(),
      storeCredit: storeCreditSchema.optional(),
    })
    .prefault({}),
  /**
   * Per automation, what a message whose send got no answer (a timeout: it may have reached the
   * customer) gets: "once" more, later (the default); "never" again (ends `unknown` at once); or
   * tries "until_answered" within its horizon, each of which may reach the customer again.
   */
  resendUnanswered: z
    .object(
      Object.fromEntries(AUTOMATION_NAMES.map((a) => [a, z.enum(UNANSWERED_CHOICES).default("once")])) as Record<
        AutomationName,
        z.ZodDefault<z.ZodEnum<{ [K in UnansweredChoice]: K }>>
      >,
    )
    .prefault({}),
  /** Whether promotions pause when JoinChat refuses too many of them (src/policy/promotion-pause.ts). */
  promotionPause: z.boolean().default(true),
  /** When the merchant last resumed paused promotions (ISO time): the refusal count starts afresh from it. */
  promotionsResumedAt: z.string().optional(),
  /**
   * How Results count an order as recovered: "strict", an order completing the recalled checkout;
   * "window", any order by the same customer within windowDays of a sent recall; "click", any
   * order by a customer within windowDays of their click on a message's button. holdoutPercent
   * of abandoned checkouts get no recall, for comparison (src/policy/holdout.ts). trackClicks:
   * message buttons go through the app's signed redirect (GET /c/<token>), which counts clicks;
   * off by default, since the app's domain must first be on the bot's JoinChat allow-list.
   */
  results: z
    .object({
      attribution: z.enum(ATTRIBUTION_RULES).default("strict"),
      windowDays: z.number().int().min(1).max(30).default(7),
      // Beyond half, the recalls themselves would be the exception.
      holdoutPercent: z.number().int().min(0).max(50).default(0),
      trackClicks: z.boolean().default(false),
    })
    .prefault({}),
  templates: z.record(z.string(), z.string()).default({}),
  /**
   * Setup steps the app cannot see for itself (the theme's embed and block outside Shopify admin,
   * JoinChat's allow-list) that the merchant said are done: each with when they said so (ISO time).
   */
  setupConfirmed: z.object({ embed: z.string().optional(), "plugin-block": z.string().optional(), allowlist: z.string().optional() }).prefault({}),
});
export type ShopSettings = z.infer<typeof shopSettingsSchema>;

/** A change to a shop's settings as the admin sends it: any field, nested ones in part. */
export type SettingsChange = Partial<
  Omit<
    ShopSettings,
    "automations" | OwnSettingsGroup | "uniqueCoupon" | "recipientOptIn" | "tags" | "sdkUrl" | "shopName" | "botButtons" | "signupReward" | "results" | "resendUnanswered"
  >
> & {
  results?: Partial<ShopSettings["results"]>;
  resendUnanswered?: Partial<ShopSettings["resendUnanswered"]>;
  automations?: Partial<ShopSettings["automations"]>;
  uniqueCoupon?: Partial<ShopSettings["uniqueCoupon"]>;
  recipientOptIn?: Partial<ShopSettings["recipientOptIn"]>;
  tags?: ShopSettings["tags"];
  /** null clears it. */
  sdkUrl?: string | null;
  shopName?: string | null;
  /** A button per automation; null removes it. */
  botButtons?: Partial<Record<BotButtonAutomation, BotButton | null>>;
  /** null removes either. */
  signupReward?: { points?: number | null; storeCredit?: StoreCreditSetting | null };
} & { [G in OwnSettingsGroup]?: Partial<ShopSettings[G]> };

/** The automations' own groups of a shop's settings, as they are, for the admin's view of them. */
export const ownSettingsOf = (s: ShopSettings) => Object.fromEntries(OWN_SETTINGS_GROUPS.map((g) => [g, s[g]])) as Pick<ShopSettings, OwnSettingsGroup>;

/** The settings to store for `change` over `current`: nested groups merged field by field, null clearing an optional one (nested ones too). */
export function mergeSettings(current: ShopSettings, change: SettingsChange): Partial<ShopSettings> {
  const out: Partial<ShopSettings> = {};
  for (const [key, value] of Object.entries(change) as [keyof SettingsChange, unknown][]) {
    if (value === undefined) continue;
    const now = current[key as keyof ShopSettings];
    if (value === null) (out as Record<string, unknown>)[key] = undefined;
    else if (typeof value === "object" && !Array.isArray(value) && typeof now === "object" && now !== null) {
      const merged: Record<string, unknown> = { ...now };
      for (const [k, v] of Object.entries(value)) if (v !== undefined) merged[k] = v === null ? undefined : v;
      (out as Record<string, unknown>)[key] = merged;
    } else (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
