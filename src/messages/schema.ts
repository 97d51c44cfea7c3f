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

/**
 * Whether a postback payload is one JoinChat understands: the JSON of `{"block_id":N}` or
 * `{"flow_id":N}`, N a positive whole number, naming the bot block or flow a tap starts.
 */
export function isBotPayload(payload: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return false;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (entries.length !== 1) return false;
  const [key, id] = entries[0]!;
  return (key === "block_id" || key === "flow_id") && Number.isSafeInteger(id) && (id as number) > 0;
}

export const BOT_PAYLOAD_RULE = 'must be {"block_id":N} or {"flow_id":N}, N a positive whole number';

export const postbackButtonSchema = z.strictObject({
  type: z.literal("postback"),
  title: maxText(LIMITS.buttonTitleChars),
  payload: z.string().min(1, { message: "must not be empty" }).refine(isBotPayload, { message: BOT_PAYLOAD_RULE }),
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

/**
 * An amount as JoinChat reads it: a JSON number ("valid, well-formatted decimal numbers with a
 * dot"), never a string. Inside, the app keeps the exact decimal as text (`Decimal`); wire.ts
 * writes that text as the number token, so no float ever touches money.
 */
const wireAmount = z.number({ error: (issue) => (issue.input === undefined ? "required" : "must be a JSON number (e.g. 12.50), not a string") });

export const receiptAddressSchema = z.strictObject({
  street_1: z.string().min(1, { message: "must not be empty" }),
  street_2: z.string().optional(),
  city: z.string().min(1, { message: "must not be empty" }),
  postal_code: z.string().min(1, { message: "must not be empty (leave the address out instead)" }),
  state: z.string().min(1, { message: "must not be empty (leave the address out instead)" }),
  country: z.string().regex(/^[A-Z]{2}$/, { message: "must be a two-letter country code" }),
});

export const receiptElementSchema = z.strictObject({
  title: maxText(LIMITS.elementTitleChars),
  subtitle: maxText(LIMITS.elementSubtitleChars).optional(),
  quantity: z.number().int({ message: "must be a whole number" }).nonnegative({ message: "must not be negative" }).optional(),
  price: wireAmount,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { message: "must be a three-letter currency code" })
    .optional(),
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
    subtotal: wireAmount.optional(),
    shipping_cost: wireAmount.optional(),
    total_tax: wireAmount.optional(),
    total_cost: wireAmount,
  }),
  adjustments: z.array(z.strictObject({ name: z.string().min(1, { message: "must not be empty" }), amount: wireAmount })).optional(),
  elements: z
    .array(receiptElementSchema)
    .max(LIMITS.receiptElements, { message: `at most ${LIMITS.receiptElements} elements` })
    .optional(),
  sharable: z.boolean().optional(),
});

export const messageSchema = z.discriminatedUnion("template_type", [textMessageSchema, buttonMessageSchema, genericMessageSchema, listMessageSchema, receiptMessageSchema]);

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

const PAGE_ID_RULE = "must be the numeric Facebook page id";

export const sendBodySchema = z.strictObject({
  // The page's table types it as a string, its examples send a number: both are the page id.
  page_id: z.union([z.string().regex(/^\d+$/, { message: PAGE_ID_RULE }), z.number().int({ message: PAGE_ID_RULE }).positive({ message: PAGE_ID_RULE })], {
    message: PAGE_ID_RULE,
  }),
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
export type Recipient = z.infer<typeof recipientSchema>;

/** A body as JoinChat reads it (amounts are numbers): what parseSendBody returns. */
export type WireSendBody = z.infer<typeof sendBodySchema>;
type WireReceipt = z.infer<typeof receiptMessageSchema>;

/** An exact decimal amount kept as text ("12.50", "-3.000"); wire.ts writes it as a JSON number. */
export type Decimal = string;

export type ReceiptElement = Omit<z.infer<typeof receiptElementSchema>, "price"> & { price: Decimal };
export interface ReceiptSummary {
  subtotal?: Decimal;
  shipping_cost?: Decimal;
  total_tax?: Decimal;
  total_cost: Decimal;
}
export interface ReceiptAdjustment {
  name: string;
  amount: Decimal;
}
/** The receipt as the app builds and stores it: every amount an exact decimal. */
export type ReceiptMessage = Omit<WireReceipt, "summary" | "adjustments" | "elements"> & {
  summary: ReceiptSummary;
  adjustments?: ReceiptAdjustment[];
  elements?: ReceiptElement[];
};
export type Message = TextMessage | ButtonMessage | GenericMessage | ListMessage | ReceiptMessage;

/** A body as the app builds it; serializeSendBody (wire.ts) makes the bytes JoinChat gets. */
export type SendBody = Omit<WireSendBody, "message" | "page_id"> & { page_id: string; message: Message };
