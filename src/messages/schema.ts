import { z } from "zod";
import { LIMITS, MESSAGE_TAGS } from "./limits";

/**
 * A string of at most `max` UTF-16 units, with a message that names the rule. Zod's own `.max`
 * counts code points, so the length (see limits.ts) is checked here explicitly.
 */
const maxText = (max: number) =>
  z
    .string()
    .min(1, { message: "must not be empty" })
    .refine((s) => s.length <= max, { message: `at most ${max} characters` });

const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

export const webviewHeightRatio = z.enum(["compact", "tall", "full"]);

export const urlButtonSchema = z.strictObject({
  type: z.literal("web_url"),
  url: httpUrl,
  title: maxText(LIMITS.buttonTitleChars),
  webview_height_ratio: webviewHeightRatio.optional(),
  messenger_extensions: z.boolean().optional(),
  fallback_url: httpUrl.optional(),
});

export const postbackButtonSchema = z.strictObject({
  type: z.literal("postback"),
  title: maxText(LIMITS.buttonTitleChars),
  payload: z.string().min(1, { message: "must not be empty" }),
});

export const buttonSchema = z.discriminatedUnion("type", [urlButtonSchema, postbackButtonSchema]);

/** A URL button without a title: what a tap on an element opens. */
export const defaultActionSchema = urlButtonSchema.omit({ title: true });

export const textMessageSchema = z.strictObject({
  template_type: z.literal("text"),
  text: maxText(LIMITS.textChars),
});

export const buttonMessageSchema = z.strictObject({
  template_type: z.literal("button"),
  text: maxText(LIMITS.textChars),
  buttons: z
    .array(buttonSchema)
    .min(LIMITS.buttonsPerButtonMessage.min, { message: `at least ${LIMITS.buttonsPerButtonMessage.min} button` })
    .max(LIMITS.buttonsPerButtonMessage.max, { message: `at most ${LIMITS.buttonsPerButtonMessage.max} buttons` }),
  sharable: z.boolean().optional(),
});

export const genericElementSchema = z
  .strictObject({
    title: maxText(LIMITS.elementTitleChars),
    subtitle: maxText(LIMITS.elementSubtitleChars).optional(),
    image_url: httpUrl.optional(),
    default_action: defaultActionSchema.optional(),
    buttons: z
      .array(buttonSchema)
      .min(1, { message: "at least 1 button when present" })
      .max(LIMITS.buttonsPerGenericElement, { message: `at most ${LIMITS.buttonsPerGenericElement} buttons` })
      .optional(),
  })
  .refine((e) => e.subtitle !== undefined || e.image_url !== undefined || e.default_action !== undefined || e.buttons !== undefined, {
    message: "needs a subtitle, image_url, default_action or buttons besides the title",
  });

export const genericMessageSchema = z.strictObject({
  template_type: z.literal("generic"),
  elements: z
    .array(genericElementSchema)
    .min(LIMITS.genericElements.min, { message: `at least ${LIMITS.genericElements.min} element` })
    .max(LIMITS.genericElements.max, { message: `at most ${LIMITS.genericElements.max} elements` }),
  image_aspect_ratio: z.enum(["horizontal", "square"]).optional(),
  sharable: z.boolean().optional(),
});

export const listElementSchema = z
  .strictObject({
    title: maxText(LIMITS.elementTitleChars),
    subtitle: maxText(LIMITS.elementSubtitleChars).optional(),
    image_url: httpUrl.optional(),
    default_action: defaultActionSchema.optional(),
    buttons: z
      .array(buttonSchema)
      .min(1, { message: "at least 1 button when present" })
      .max(LIMITS.listElementButtons, { message: `at most ${LIMITS.listElementButtons} button` })
      .optional(),
  })
  .refine((e) => e.subtitle !== undefined || e.image_url !== undefined, {
    message: "needs a subtitle or an image_url besides the title",
  });

export const listMessageSchema = z.strictObject({
  template_type: z.literal("list"),
  elements: z
    .array(listElementSchema)
    .min(LIMITS.listElements.min, { message: `at least ${LIMITS.listElements.min} elements` })
    .max(LIMITS.listElements.max, { message: `at most ${LIMITS.listElements.max} elements` }),
  top_element_style: z.enum(["compact", "large"]).optional(),
  buttons: z
    .array(buttonSchema)
    .min(1, { message: "at least 1 button when present" })
    .max(LIMITS.listButtons, { message: `at most ${LIMITS.listButtons} button` })
    .optional(),
  sharable: z.boolean().optional(),
});

/** A decimal amount with a dot, as JoinChat wants it: "12", "12.5", "-3.20"; never a float. */
export const decimalAmount = z
  .string()
  .regex(/^-?\d+(\.\d{1,3})?$/, { message: "must be a decimal number with a dot and at most 3 decimals, e.g. 12.50" });

export const receiptAddressSchema = z.strictObject({
  street_1: z.string().min(1, { message: "must not be empty" }),
  street_2: z.string().optional(),
  city: z.string().min(1, { message: "must not be empty" }),
  postal_code: z.string(),
  state: z.string(),
  country: z.string().regex(/^[A-Z]{2}$/, { message: "must be a two-letter country code" }),
});

export const receiptElementSchema = z.strictObject({
  title: maxText(LIMITS.elementTitleChars),
  subtitle: maxText(LIMITS.elementSubtitleChars).optional(),
  quantity: z.number().int({ message: "must be a whole number" }).nonnegative({ message: "must not be negative" }).optional(),
  price: decimalAmount,
  currency: z.string().regex(/^[A-Z]{3}$/, { message: "must be a three-letter currency code" }).optional(),
  image_url: httpUrl.optional(),
});

export const receiptMessageSchema = z.strictObject({
  template_type: z.literal("receipt"),
  recipient_name: z.string().min(1, { message: "must not be empty" }),
  order_number: z.string().min(1, { message: "must not be empty" }),
  currency: z.string().regex(/^[A-Z]{3}$/, { message: "must be a three-letter currency code" }),
  payment_method: z.string().min(1, { message: "must not be empty" }),
  order_url: httpUrl.optional(),
  timestamp: z.string().regex(/^\d+$/, { message: "must be seconds since the epoch, as a string" }).optional(),
  address: receiptAddressSchema.optional(),
  summary: z.strictObject({
    subtotal: decimalAmount.optional(),
    shipping_cost: decimalAmount.optional(),
    total_tax: decimalAmount.optional(),
    total_cost: decimalAmount,
  }),
  adjustments: z.array(z.strictObject({ name: z.string().min(1, { message: "must not be empty" }), amount: decimalAmount })).optional(),
  elements: z.array(receiptElementSchema).max(LIMITS.receiptElements, { message: `at most ${LIMITS.receiptElements} elements` }).optional(),
  sharable: z.boolean().optional(),
});

export const messageSchema = z.discriminatedUnion("template_type", [
  textMessageSchema,
  buttonMessageSchema,
  genericMessageSchema,
  listMessageSchema,
  receiptMessageSchema,
]);

const nonEmpty = z.string().min(1, { message: "must not be empty" });

export const RECIPIENT_KINDS = ["id", "phone", "email", "uuid"] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export const recipientSchema = z
  .strictObject({
    id: nonEmpty.optional(),
    phone: nonEmpty.optional(),
    email: nonEmpty.optional(),
    uuid: nonEmpty.optional(),
  })
  .refine((r) => RECIPIENT_KINDS.filter((k) => r[k] !== undefined).length === 1, {
    message: "exactly one of id, phone, email or uuid",
  });

export const sendBodySchema = z.strictObject({
  page_id: z.string().regex(/^\d+$/, { message: "must be the numeric Facebook page id, as a string" }),
  recipient: recipientSchema,
  message: messageSchema,
  tag: z.enum(MESSAGE_TAGS, { message: `must be one of ${MESSAGE_TAGS.join(", ")}` }).optional(),
  delay: z
    .number()
    .int({ message: "must be a whole number of seconds" })
    .min(LIMITS.delaySeconds.min, { message: `at least ${LIMITS.delaySeconds.min}` })
    .max(LIMITS.delaySeconds.max, { message: `at most ${LIMITS.delaySeconds.max} seconds` })
    .optional(),
});

export type UrlButton = z.infer<typeof urlButtonSchema>;
export type PostbackButton = z.infer<typeof postbackButtonSchema>;
export type Button = z.infer<typeof buttonSchema>;
export type DefaultAction = z.infer<typeof defaultActionSchema>;
export type TextMessage = z.infer<typeof textMessageSchema>;
export type ButtonMessage = z.infer<typeof buttonMessageSchema>;
export type GenericElement = z.infer<typeof genericElementSchema>;
export type GenericMessage = z.infer<typeof genericMessageSchema>;
export type ListElement = z.infer<typeof listElementSchema>;
export type ListMessage = z.infer<typeof listMessageSchema>;
export type ReceiptElement = z.infer<typeof receiptElementSchema>;
export type ReceiptMessage = z.infer<typeof receiptMessageSchema>;
export type Message = z.infer<typeof messageSchema>;
export type Recipient = z.infer<typeof recipientSchema>;
export type SendBody = z.infer<typeof sendBodySchema>;
