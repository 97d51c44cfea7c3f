/**
 * The one schema a change of a shop's settings is validated with, by the admin API
 * (PUT /admin/api/settings) and the CLI (shop:set) alike, so a rule cannot drift between them.
 * Its messages are the merchant's to read beside the admin's field; the CLI puts the flag's name
 * before them ("--page-id must be the numeric Facebook page id"). Free of Node and the database.
 */
import { code as iso4217 } from "currency-codes";
import { z } from "zod";
import { PAST_WINDOW_TAGS } from "../messages/limits";
import { currencyDecimals } from "../money";
import { PAST_WINDOW_CHOICES } from "../policy/send-decision";
import { AUTOMATION_NAMES } from "../policy/automation-names";
import { ATTRIBUTION_RULES, botButtonSchema, shopSettingsSchema, storeCreditSchema, UNANSWERED_CHOICES } from "./shop-settings";

/** A bot button in a change: the button, or null to remove it. */
const botButtonChange = botButtonSchema.nullable().optional();

/** Store credit in a change: a currency Shopify knows (ISO 4217) and an amount within its decimals. */
const storeCreditChange = storeCreditSchema
  .refine((c) => iso4217(c.currency) !== undefined, { message: "is not an ISO 4217 currency code", path: ["currency"] })
  .refine((c) => (c.amount.split(".")[1]?.length ?? 0) <= currencyDecimals(c.currency), {
    message: "has more decimals than the currency has (e.g. JPY none, USD 2)",
    path: ["amount"],
  });

const increasing = (list: number[]) => list.every((m, i) => i === 0 || m > list[i - 1]!);

/** The Facebook page JoinChat sends from, by its numeric id. */
export const pageIdSchema = z.string().regex(/^\d{1,32}$/, "must be the numeric Facebook page id");

export const joinchatSecretSchema = z.string().min(1, "must not be empty").max(500, "must be at most 500 characters");

/** Minutes after the checkout, one per recall. */
export const abandonedDelaysSchema = z
  .array(z.number().positive("each delay must be above 0").max(43_200, "each delay must be at most 30 days"))
  .min(1, "at least one delay")
  .max(10, "at most 10 recalls")
  .refine(increasing, "delays must increase, e.g. 60, 480, 1380");

/** The welcome message's same-for-everyone coupon code. */
export const couponCodeSchema = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, "letters, digits, - and _ only");

export const couponModeSchema = z.enum(["static", "unique"], { message: "must be static or unique" });

/** A tag to send past the 24-hour window with: one of the three Meta kept in 2020, never a retired one. */
const pastWindowTag = z.enum(PAST_WINDOW_TAGS, {
  error: (i) =>
    `${String(i.input)} is not a tag the app sends with: Meta retired it (PAYMENT_UPDATE, SHIPPING_UPDATE and eleven others stopped on 2020-03-04); choose ${PAST_WINDOW_TAGS.join(", ")}`,
});

export const settingsChangeSchema = z.strictObject({
  pageId: pageIdSchema.optional(),
  joinchatSecret: joinchatSecretSchema.optional(),
  // The storefront script loads only an https SDK (a shop's pages are https).
  sdkUrl: z
    .url({ protocol: /^https$/, message: "must be an https URL" })
    .max(500)
    .nullable()
    .optional(),
  automations: z.strictObject({ welcome: z.boolean(), abandoned: z.boolean(), receipt: z.boolean(), shipping: z.boolean() }).partial().optional(),
  deliveryUpdates: z.strictObject({ out_for_delivery: z.boolean(), delivered: z.boolean(), attempted_delivery: z.boolean() }).partial().optional(),
  paymentReminder: z
    .strictObject({
      enabled: z.boolean(),
      delayMinutes: z.number().int("whole minutes").min(5, "at least 5 minutes").max(1380, "at most 1,380 minutes (23 hours): the reminder may only go within 24 hours"),
    })
    .partial()
    .optional(),
  abandonedDelaysMinutes: abandonedDelaysSchema.optional(),
  couponMode: couponModeSchema.optional(),
  couponCode: couponCodeSchema.nullable().optional(),
  uniqueCoupon: shopSettingsSchema.shape.uniqueCoupon.unwrap().partial().optional(),
  recipientOptIn: z.strictObject({ email: z.boolean(), phone: z.boolean() }).partial().optional(),
  language: z.enum(["en", "zh"]).optional(),
  receiptTopic: z.enum(["orders/create", "orders/paid"]).optional(),
  shopName: z.string().trim().min(1).max(80).nullable().optional(),
  pastWindow: z.enum(PAST_WINDOW_CHOICES).optional(),
  tags: z.strictObject({ receipt: pastWindowTag, shipping: pastWindowTag }).partial().optional(),
  botButtons: z
    .strictObject({
      welcome: botButtonChange,
      abandoned: botButtonChange,
      shipping: botButtonChange,
      // Named so the merchant is told why, rather than "unknown key".
      receipt: z
        .unknown()
        .refine((v) => v === undefined || v === null, "a receipt cannot carry a button: JoinChat's receipt template has none")
        .optional(),
    })
    .optional()
    .transform((b) => (b ? { welcome: b.welcome, abandoned: b.abandoned, shipping: b.shipping } : b)),
  signupReward: z
    .strictObject({
      points: z.number().int("a whole number of points").min(1, "at least 1 point (or none)").max(100_000_000, "at most 100,000,000 points").nullable().optional(),
      storeCredit: storeCreditChange.nullable().optional(),
    })
    .optional(),
  promotionPause: z.boolean().optional(),
  resendUnanswered: z
    .strictObject(Object.fromEntries(AUTOMATION_NAMES.map((a) => [a, z.enum(UNANSWERED_CHOICES, { message: "once, never or until_answered" })])))
    .partial()
    .optional(),
  results: z
    .strictObject({
      attribution: z.enum(ATTRIBUTION_RULES, { message: "strict, window or click" }),
      windowDays: z.number().int("whole days").min(1, "at least 1 day").max(30, "at most 30 days"),
      holdoutPercent: z.number().int("a whole percentage").min(0, "0 to 50").max(50, "at most 50%"),
      trackClicks: z.boolean(),
    })
    .partial()
    .optional(),
});
/** A change as the schema lets it through. */
export type SettingsChangeRequest = z.infer<typeof settingsChangeSchema>;
