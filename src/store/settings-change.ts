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
import {
  AUTOMATION_NAMES,
  BOT_BUTTON_AUTOMATIONS,
  BOT_BUTTON_REFUSALS,
  COUPON_CODE_MAX,
  discountCodeSchema,
  OWN_SETTINGS_CHANGE,
  SWITCHED_AUTOMATIONS,
  TAG_SETTING_NAMES,
  type BotButtonAutomation,
  type SwitchedAutomation,
  type TagSetting,
} from "../policy/automations";
import { parseWithProblems, type FieldProblem } from "./field-problems";
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

/**
 * The latest a recall may come, in minutes after the checkout. A recall is a promotion: it goes
 * only while the 24-hour window opened by the customer's Send to Messenger click is open
 * (isWindowOpen in src/policy/send-decision.ts, checked when it is due), and that click comes
 * before the checkout a recall is about. A step at 24 hours or later would always be skipped;
 * the hour spare is the payment reminder's too (time for the click before the checkout).
 */
export const LAST_RECALL_MINUTES = 1380;

/** Minutes after the checkout, one per recall. */
export const abandonedDelaysSchema = z
  .array(
    z
      .number({ error: "each delay must be a number of minutes" })
      .positive("each delay must be above 0")
      .max(LAST_RECALL_MINUTES, {
        error: (i) =>
          `${String(i.input)} minutes is past 23 hours: a recall goes only within 24 hours of the customer's Send to Messenger click, so it would always be skipped; keep each delay at most 1,380 minutes`,
      }),
    { error: "must be a list of minutes, e.g. 60, 480, 1380" },
  )
  .min(1, "at least one delay")
  .max(10, "at most 10 recalls")
  .refine(increasing, "delays must increase, e.g. 60, 480, 1380");

export { COUPON_CODE_MAX };

/** The welcome message's same-for-everyone coupon code: a discount code as Shopify takes it. */
export const couponCodeSchema = discountCodeSchema;

/** JoinChat's own host: its SDK script is served from it (https://joinchat.ai/js/analytics/sdk/<id>.js, JoinChat → SDK management). */
export const JOINCHAT_SDK_HOST = "joinchat.ai";
/** Whether an https URL is JoinChat's; any other input is the https rule's to refuse, once. */
const onJoinChat = (url: string) => {
  const parsed = URL.parse(url);
  if (parsed?.protocol !== "https:") return true;
  return parsed.hostname === JOINCHAT_SDK_HOST || parsed.hostname.endsWith(`.${JOINCHAT_SDK_HOST}`);
};

/** The storefront loads this script for the Send to Messenger button: https only (a shop's pages are), from JoinChat alone. */
export const sdkUrlSchema = z
  .url({ protocol: /^https$/, message: "must be an https URL, e.g. https://joinchat.ai/js/analytics/sdk/<id>.js" })
  .max(500, "must be at most 500 characters")
  .refine(onJoinChat, `must be JoinChat's own script, on ${JOINCHAT_SDK_HOST} (copy it from JoinChat → SDK management)`);

export const couponModeSchema = z.enum(["static", "unique"], { message: "must be static or unique" });

/** A tag to send past the 24-hour window with: one of the three Meta kept in 2020, never a retired one. */
const pastWindowTag = z.enum(PAST_WINDOW_TAGS, {
  error: (i) =>
    `${String(i.input)} is not a tag the app sends with: Meta retired it (PAYMENT_UPDATE, SHIPPING_UPDATE and eleven others stopped on 2020-03-04); choose ${PAST_WINDOW_TAGS.join(", ")}`,
});

export const settingsChangeSchema = z.strictObject({
  pageId: pageIdSchema.optional(),
  joinchatSecret: joinchatSecretSchema.optional(),
  sdkUrl: sdkUrlSchema.nullable().optional(),
  automations: z
    .strictObject(Object.fromEntries(SWITCHED_AUTOMATIONS.map((a) => [a, z.boolean()])) as Record<SwitchedAutomation, z.ZodBoolean>)
    .partial()
    .optional(),
  // The settings automations have of their own, as each declares them in the catalog (src/policy/automations.ts).
  ...OWN_SETTINGS_CHANGE,
  abandonedDelaysMinutes: abandonedDelaysSchema.optional(),
  couponMode: couponModeSchema.optional(),
  couponCode: couponCodeSchema.nullable().optional(),
  uniqueCoupon: shopSettingsSchema.shape.uniqueCoupon.unwrap().partial().optional(),
  recipientOptIn: z.strictObject({ email: z.boolean(), phone: z.boolean() }).partial().optional(),
  language: z.enum(["en", "zh"]).optional(),
  shopName: z.string().trim().min(1, "must not be empty (or none)").max(80, "must be at most 80 characters").nullable().optional(),
  pastWindow: z.enum(PAST_WINDOW_CHOICES).optional(),
  tags: z
    .strictObject(Object.fromEntries(TAG_SETTING_NAMES.map((t) => [t, pastWindowTag])) as Record<TagSetting, typeof pastWindowTag>)
    .partial()
    .optional(),
  botButtons: z
    .strictObject({
      ...(Object.fromEntries(BOT_BUTTON_AUTOMATIONS.map((a) => [a, botButtonChange])) as Record<BotButtonAutomation, typeof botButtonChange>),
      // An automation that cannot carry one, named so the merchant is told why, rather than "unknown key".
      ...Object.fromEntries(
        Object.entries(BOT_BUTTON_REFUSALS).map(([a, why]) => [
          a,
          z
            .unknown()
            .refine((v) => v === undefined || v === null, why)
            .optional(),
        ]),
      ),
    })
    .optional()
    .transform((b) => (b ? (Object.fromEntries(BOT_BUTTON_AUTOMATIONS.map((a) => [a, b[a]])) as Record<BotButtonAutomation, z.output<typeof botButtonChange>>) : b)),
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

/** What a change is checked against beyond itself: the shop's coupon mode and how many recalls its delays make, as stored. */
export interface SettingsNow {
  couponMode: "static" | "unique";
  recallCount?: number;
}

/**
 * A change checked whole: the schema's problems and the rules that read the shop as stored, all at
 * once, so the merchant fixes every field in one go. A coupon code cleared (null) is refused while
 * the code is the one everyone gets; with unique codes it is only their fallback, and clearing it
 * clears it.
 */
export function checkSettingsChange(input: unknown, now: SettingsNow): { ok: true; change: SettingsChangeRequest } | { ok: false; problems: FieldProblem[] } {
  const parsed = parseWithProblems(settingsChangeSchema, input);
  const problems = parsed.ok ? [] : [...parsed.problems];
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const mode = raw.couponMode === "unique" || raw.couponMode === "static" ? raw.couponMode : now.couponMode;
  if (raw.couponCode === null && mode === "static") {
    problems.push({ field: "couponCode", message: "must not be empty while everyone gets the same code: type the code, or choose a unique code per customer" });
  }
  problems.push(...couponsPastLastRecall(raw, now));
  return parsed.ok && problems.length === 0 ? { ok: true, change: parsed.data } : { ok: false, problems };
}

/** A recall step's coupon for a step the delays do not make (those of the change, else the stored ones), each on its field. */
function couponsPastLastRecall(raw: Record<string, unknown>, now: SettingsNow): FieldProblem[] {
  const steps = raw.recallSteps as { coupons?: unknown } | undefined;
  const delays = abandonedDelaysSchema.safeParse(raw.abandonedDelaysMinutes);
  const count = delays.success ? delays.data.length : now.recallCount;
  if (!Array.isArray(steps?.coupons) || count === undefined) return [];
  return steps.coupons.flatMap((code, i) =>
    i >= count && code !== null && code !== undefined && code !== ""
      ? [
          {
            field: `recallSteps.coupons.${i}`,
            message: `there is no recall ${i + 1}: the delays make ${count} recall${count === 1 ? "" : "s"}; add a delay for it, or leave its coupon empty`,
          },
        ]
      : [],
  );
}
