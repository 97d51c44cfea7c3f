import type { AppContext } from "../context";
import type { Recipient } from "../messages/schema";
import { linkNamesSomeoneElse } from "../store/links";
import type { ShopRecord } from "../store/shops";
import { joinchatUuidSchema } from "./uuid";

/** Who an event is about, as the handler read it from the payload (ids as strings: some exceed 2^53). */
export interface RecipientRef {
  customerId: string | null;
  email: string | null;
  phone: string | null;
  /** The event's note_attributes, where the storefront's `joinchat_uuid` cart attribute lands. */
  noteAttributes: { name: string; value?: unknown }[] | null;
}

export type Resolved =
  | {
      recipient: Recipient;
      /** When the recipient's 24-hour window opened (their last Send to Messenger click); null when unknown. */
      windowOpenedAt: Date | null;
      /** How the recipient was found: "customer link", "cart attribute", "email opt-in" or "phone opt-in". */
      via: string;
    }
  | { recipient: null; reason: string };

/** The cart attribute the storefront script writes (CONTRACT.md); orders and checkouts carry it in note_attributes. */
export const CART_UUID_ATTRIBUTE = "joinchat_uuid";

/**
 * The `joinchat_uuid` cart attribute, when it holds a uuid. The visitor's browser writes cart
 * attributes, so anything else in it is ignored rather than sent to JoinChat.
 */
export function joinchatUuidOf(noteAttributes: RecipientRef["noteAttributes"]): string | null {
  // The payload is the browser's and Shopify's: an entry may be anything, null included.
  const attr = noteAttributes?.find((a) => typeof a === "object" && a !== null && a.name === CART_UUID_ATTRIBUTE);
  const value = typeof attr?.value === "string" ? attr.value.trim() : null;
  return value !== null && joinchatUuidSchema.safeParse(value).success ? value : null;
}

/**
 * Who a message about this event goes to, for every automation, in this order:
 *  1. the uuid of the customer's newest link (by customer id, email or phone);
 *  2. else the uuid the cart carried (`joinchat_uuid`), unless a link names it someone else's,
 *     with its link's linkedAt as the window when the storefront linked it, none otherwise;
 *  3. else, only where the shop opted in, the customer's email or phone as JoinChat bound them.
 * Otherwise a reason, which the handler records on the event: never thrown.
 *
 * Nothing is learnt on the way. The email, phone and even the customer an order names are what
 * its buyer typed (Shopify files a guest checkout under the customer with the email typed), and
 * the cart attribute is whatever that browser wrote: binding the cart's uuid to them would let
 * anyone who knows a customer's email receive that customer's later receipts. So the cart's uuid
 * serves only the event that carries it (that checkout, its own order, and that order's shipping
 * notice, which follows the receipt), and links name people only as the app proxy's signed
 * customer id or an operator said (src/store/links.ts).
 */
export async function resolveRecipient(ctx: AppContext, shop: ShopRecord, ref: RecipientRef): Promise<Resolved> {
  const who = { customerId: ref.customerId, email: ref.email, phone: ref.phone };
  const cartUuid = joinchatUuidOf(ref.noteAttributes);
  const newest = await ctx.links.newestFor(shop.domain, who);
  if (newest) {
    return { recipient: { uuid: newest.uuid }, windowOpenedAt: newest.linkedAt, via: newest.uuid === cartUuid ? "cart attribute" : "customer link" };
  }
  // A shared device: another customer clicked Send to Messenger in this browser. Their
  // Messenger must not receive this customer's order.
  const cartLink = cartUuid ? await ctx.links.find(shop.domain, cartUuid) : null;
  const cartUuidIsSomeoneElses = cartLink !== null && linkNamesSomeoneElse(cartLink, who);
  if (cartUuid && !cartUuidIsSomeoneElses) {
    return { recipient: { uuid: cartUuid }, windowOpenedAt: cartLink?.linkedAt ?? null, via: "cart attribute" };
  }

  const optIn = shop.settings.recipientOptIn;
  if (optIn.email && ref.email?.trim()) return { recipient: { email: ref.email.trim() }, windowOpenedAt: null, via: "email opt-in" };
  if (optIn.phone && ref.phone?.trim()) return { recipient: { phone: ref.phone.trim() }, windowOpenedAt: null, via: "phone opt-in" };

  const cart = cartUuidIsSomeoneElses ? "the joinchat_uuid it carries is linked to another customer" : `it carries no ${CART_UUID_ATTRIBUTE}`;
  const contacts =
    optIn.email || optIn.phone
      ? `no ${[optIn.email && "email", optIn.phone && "phone"].filter(Boolean).join(" or ")} to fall back on`
      : "email/phone recipients are off for this shop";
  return { recipient: null, reason: `customer has no JoinChat link, ${cart}, and ${contacts}` };
}
