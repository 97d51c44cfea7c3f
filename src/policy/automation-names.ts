/**
 * The names of the automations, in the admin's order, and the settings of their own: the part of
 * the catalog (src/policy/automations.ts has one entry for each) that the shop's settings schema
 * and the admin page's types read. Apart from it so they can: the catalog's key formats use
 * Node's crypto.
 */
import { z } from "zod";

export const AUTOMATION_NAMES = ["welcome", "abandoned", "receipt", "shipping", "delivery", "payment_reminder"] as const;
export type AutomationName = (typeof AUTOMATION_NAMES)[number];
/** What a delivery row's `automation` may be: an automation's, or a message sent by hand (admin test, `npm run cli -- send`). */
export type DeliveryAutomation = AutomationName | "manual";
export const DELIVERY_AUTOMATIONS: readonly DeliveryAutomation[] = [...AUTOMATION_NAMES, "manual"];

/** The carrier scans a delivery update is sent for, each switched on by itself. */
export const DELIVERY_STATUSES = ["out_for_delivery", "delivered", "attempted_delivery"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const isDeliveryStatus = (s: string): s is DeliveryStatus => (DELIVERY_STATUSES as readonly string[]).includes(s);

/**
 * The automations switched on and off as a whole (`automations.<name>` in a shop's settings, on
 * until the merchant turns one off). The others are switched by settings of their own, below.
 */
export const SWITCHED_AUTOMATIONS = ["welcome", "abandoned", "receipt", "shipping"] as const satisfies readonly AutomationName[];
export type SwitchedAutomation = (typeof SWITCHED_AUTOMATIONS)[number];

/** The longest discount code Shopify takes. */
export const COUPON_CODE_MAX = 255;

/** A discount code of the shop's: each rule named on its own, so a long code hears about its length. */
export const discountCodeSchema = z
  .string({ error: "must be text" })
  .min(1, "must not be empty")
  .max(COUPON_CODE_MAX, { error: (i) => `is ${String(i.input).length} characters: at most ${COUPON_CODE_MAX}, Shopify's limit for a discount code` })
  .regex(/^[A-Za-z0-9_-]*$/, "letters, digits, - and _ only");

/** The most recalls a checkout gets (one per delay). */
export const MAX_RECALLS = 10;

/**
 * The settings an automation has of its own, a group each in a shop's settings: whose it is;
 * `stored`, what the stored JSON is read with (every field defaulted, so old rows stay valid;
 * src/store/shop-settings.ts); and `change`, what a change of it is validated with
 * (src/store/settings-change.ts), its messages the merchant's to read. Here, free of Node, so
 * the admin page's types follow them.
 */
const OWN_SETTINGS = {
  /**
   * delivery: updates (fulfillment_events/create), each status on its own; off until the merchant
   * turns one on (a parcel's carrier scans may be many, and not every shop wants them all).
   */
  deliveryUpdates: {
    automation: "delivery",
    stored: z.object(Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, z.boolean().default(false)])) as Record<DeliveryStatus, z.ZodDefault<z.ZodBoolean>>).prefault({}),
    change: z
      .strictObject(Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, z.boolean()])) as Record<DeliveryStatus, z.ZodBoolean>)
      .partial()
      .optional(),
  },
  /**
   * payment_reminder: one reminder to pay an order placed unpaid (bank transfer, cash on delivery,
   * manual payment), `delayMinutes` after it was placed. Off until the merchant turns it on. The
   * default hour gives a buyer who meant to pay at once (a bank transfer made right after
   * ordering) time to do so, while they still remember the order, and keeps the reminder well
   * inside the 24-hour window their order's Send to Messenger click opened, the only time it may
   * go (src/policy/send-decision.ts).
   */
  paymentReminder: {
    automation: "payment_reminder",
    stored: z
      .object({
        enabled: z.boolean().default(false),
        delayMinutes: z.number().int().min(5).max(1380).default(60),
      })
      .prefault({}),
    change: z
      .strictObject({
        enabled: z.boolean(),
        delayMinutes: z.number().int("whole minutes").min(5, "at least 5 minutes").max(1380, "at most 1,380 minutes (23 hours): the reminder may only go within 24 hours"),
      })
      .partial()
      .optional(),
  },
  /**
   * abandoned: what each recall step carries besides its text (its delay is the shop's
   * abandonedDelaysMinutes): `coupons`, a discount code per step in order (null or missing: none),
   * told in the step's text and applied by its checkout button. A coupon for a step the delays do
   * not make is refused (src/store/settings-change.ts), and one left over by fewer delays is unused.
   */
  recallSteps: {
    automation: "abandoned",
    stored: z.object({ coupons: z.array(z.string().nullable()).max(MAX_RECALLS).catch([]).default([]) }).prefault({}),
    change: z
      .strictObject({
        coupons: z
          .array(discountCodeSchema.nullable(), { error: "must be a list: a discount code, or none (null), per recall" })
          .max(MAX_RECALLS, `at most ${MAX_RECALLS}: one per recall`),
      })
      .partial()
      .optional(),
  },
} satisfies Record<string, { automation: AutomationName; stored: z.ZodType; change: z.ZodType }>;
type OwnSettings = typeof OWN_SETTINGS;
/** The names of the automations' own groups of settings ("paymentReminder"). */
export type OwnSettingsGroup = keyof OwnSettings;
export const OWN_SETTINGS_GROUPS = Object.keys(OWN_SETTINGS) as OwnSettingsGroup[];

const partOf = <P extends "stored" | "change">(part: P) =>
  Object.fromEntries(OWN_SETTINGS_GROUPS.map((g) => [g, OWN_SETTINGS[g][part]])) as { [G in OwnSettingsGroup]: OwnSettings[G][P] };
/** Whose each own group is ("paymentReminder" -> payment_reminder). */
export const OWN_SETTINGS_OWNER = Object.fromEntries(OWN_SETTINGS_GROUPS.map((g) => [g, OWN_SETTINGS[g].automation])) as Record<OwnSettingsGroup, AutomationName>;
/** Each own group's stored schema, by group, to spread into the shop's settings schema. */
export const OWN_SETTINGS_STORED = partOf("stored");
/** Each own group's change schema, by group, to spread into the schema of a change. */
export const OWN_SETTINGS_CHANGE = partOf("change");
