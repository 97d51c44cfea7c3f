import { z } from "zod";
import { webUrl } from "../messages/urls";
import { DECIMAL_TEXT } from "../money";

/**
 * The parts of Shopify's webhook payloads the automations read, as zod schemas: real payloads are
 * full of nulls (draft orders have no customer, no address, an empty email), so almost everything
 * is optional; anything else is ignored. Ids are strings or numbers (see shopify/json.ts) and are
 * turned into strings here.
 */
const id = z.union([z.string(), z.number()]).transform(String);
const str = z.string().nullish();
/**
 * A money amount: Shopify writes decimal strings ("12.50"). Anything else (an exponent such as
 * "1e3", a comma) cannot be read as money, so the payload is refused with the field named and
 * the event skipped, rather than guessed at.
 */
const amount = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === "number" ? String(v) : v.trim()))
  .refine((v) => v === "" || DECIMAL_TEXT.test(v), { message: "not a decimal amount" })
  .nullish();

const EARLIEST = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");
/** Whether both databases hold the instant as a DateTime (years 1 to 9999): Shopify signs whatever date it is sent. */
export const isStorableTime = (ms: number): boolean => ms >= EARLIEST && ms <= LATEST;

/**
 * A date: one that cannot be read is taken as absent where it is used, but one outside the years
 * the databases hold (a carrier scan dated 275760) is refused, with the field named.
 */
const timestamp = str.refine((v) => {
  const t = Date.parse(v ?? "");
  return Number.isNaN(t) || isStorableTime(t);
}, "a date outside the years 1 to 9999");

export const noteAttributesSchema = z
  .array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullish() }))
  .nullish()
  .catch(null);

export const customerSchema = z.object({
  id,
  email: str,
  phone: str,
  first_name: str,
  last_name: str,
});

export const addressSchema = z.object({
  name: str,
  first_name: str,
  last_name: str,
  address1: str,
  address2: str,
  city: str,
  zip: str,
  province: str,
  province_code: str,
  country_code: str,
});

/** A `*_set` amount: in the shop's currency and in the one the buyer saw and paid (presentment). */
const moneySet = z
  .object({ shop_money: z.object({ amount }).nullish(), presentment_money: z.object({ amount, currency_code: str }).nullish() })
  .nullish()
  .catch(null);
export type MoneySet = z.infer<typeof moneySet>;

/** What one discount application took off a line item or a shipping line. */
const discountAllocations = z
  .array(z.object({ amount, amount_set: moneySet, discount_application_index: z.number().int().nullish() }))
  .nullish()
  .catch(null);

const lineItemSchema = z.object({
  title: z.string().nullish(),
  variant_title: str,
  quantity: z.number().int().nullish(),
  price: amount,
  image_url: str,
  image: z.object({ src: str }).nullish().catch(null),
  price_set: moneySet,
  discount_allocations: discountAllocations,
});

type LineItem = z.infer<typeof lineItemSchema>;

/** A line item's image as a message may show it, or null (see webUrl). */
export const lineItemImage = (li: LineItem): string | null => webUrl(li.image?.src ?? li.image_url);

export const orderSchema = z.object({
  id,
  name: z.string().nullish(),
  email: str,
  phone: str,
  currency: z.string().regex(/^[A-Z]{3}$/),
  total_price: amount,
  /** Whether the prices (items, shipping) already hold the tax, as EU, UK and Australian shops' do. */
  taxes_included: z.boolean().nullish().catch(null),
  subtotal_price: amount,
  total_line_items_price: amount,
  total_tax: amount,
  total_discounts: amount,
  total_shipping_price_set: moneySet,
  presentment_currency: str,
  total_price_set: moneySet,
  total_tax_set: moneySet,
  total_discounts_set: moneySet,
  /** In the shop's currency only: Shopify gives no presentment amount for tips. */
  total_tip_received: amount,
  original_total_duties_set: moneySet,
  tax_lines: z
    .array(z.object({ title: str, price: amount, price_set: moneySet }))
    .nullish()
    .catch(null),
  shipping_lines: z
    .array(z.object({ title: str, code: str, price: amount, price_set: moneySet, discount_allocations: discountAllocations }))
    .nullish()
    .catch(null),
  payment_gateway_names: z.array(z.string()).nullish().catch(null),
  order_status_url: str,
  created_at: timestamp,
  processed_at: timestamp,
  checkout_token: str,
  checkout_id: id.nullish(),
  cart_token: str,
  financial_status: str,
  customer: customerSchema.nullish().catch(null),
  billing_address: addressSchema.nullish().catch(null),
  shipping_address: addressSchema.nullish().catch(null),
  discount_codes: z
    .array(z.object({ code: z.string().nullish(), amount }))
    .nullish()
    .catch(null),
  discount_applications: z
    .array(z.object({ type: str, title: str, code: str, description: str, target_type: str }))
    .nullish()
    .catch(null),
  line_items: z.array(lineItemSchema).default([]),
  note_attributes: noteAttributesSchema,
});
export type Order = z.infer<typeof orderSchema>;

export const checkoutSchema = z.object({
  id: id.nullish(),
  token: z.string().min(1),
  cart_token: str,
  email: str,
  phone: str,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullish(),
  presentment_currency: str,
  abandoned_checkout_url: z.string().nullish(),
  completed_at: timestamp,
  created_at: timestamp,
  updated_at: timestamp,
  customer: customerSchema.nullish().catch(null),
  line_items: z.array(lineItemSchema).default([]),
  note_attributes: noteAttributesSchema,
});
export type Checkout = z.infer<typeof checkoutSchema>;

/**
 * customers/create. Marketing consent is not read: Shopify removed the consent fields from
 * customer payloads in API 2025-01, and Messenger's own rules (the 24-hour window the customer
 * opened) decide instead.
 */
export const newCustomerSchema = customerSchema;
export type NewCustomer = z.infer<typeof newCustomerSchema>;

/** fulfillments/create and fulfillments/update: these fields are shopify.app.toml's include_fields for them, and a field added here goes there too. */
export const fulfillmentSchema = z.object({
  id,
  order_id: id,
  name: str,
  email: str,
  status: str,
  tracking_company: str,
  tracking_number: str,
  tracking_numbers: z.array(z.string()).nullish().catch(null),
  tracking_url: str,
  tracking_urls: z.array(z.string()).nullish().catch(null),
});
export type Fulfillment = z.infer<typeof fulfillmentSchema>;

/**
 * fulfillment_events/create: a carrier's scan of a fulfillment, as the REST FulfillmentEvent
 * resource (API 2026-10) documents it. `status` is lower snake case there ("out_for_delivery",
 * "delivered", "attempted_delivery", "in_transit", ...), upper case in GraphQL: read either way.
 * The event carries no tracking number or URL and no email; those come from the fulfillment's
 * shipping notice and the order's receipt (src/automations/delivery-update.ts). These fields are
 * all the app reads, and all shopify.app.toml's include_fields asks Shopify to send (the scan's
 * place, message and coordinates stay at Shopify): a field added here goes into the toml too.
 */
export const fulfillmentEventSchema = z.object({
  id,
  fulfillment_id: id,
  order_id: id,
  status: z.string().transform((s) => s.trim().toLowerCase()),
  happened_at: timestamp,
});
export type FulfillmentEvent = z.infer<typeof fulfillmentEventSchema>;

/** The payload in the given shape, or the first reason it is not (recorded on the skipped event). */
export function readPayload<T>(schema: z.ZodType<T>, payload: unknown): { ok: true; value: T } | { ok: false; reason: string } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, reason: `payload not understood: ${issue.path.join(".") || "body"}: ${issue.message}` };
}
