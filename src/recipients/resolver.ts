import type { AppContext } from "../context";
import type { Recipient } from "../messages/schema";
import { LinkOwnedByAnotherCustomerError, type LinkRecord } from "../store/links";
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
  const attr = noteAttributes?.find((a) => a.name === CART_UUID_ATTRIBUTE);
  const value = typeof attr?.value === "string" ? attr.value.trim() : null;
  return value !== null && joinchatUuidSchema.safeParse(value).success ? value : null;
}

/**
 * Who a message about this event goes to, for every automation, in this order:
 *  1. the uuid of the customer's newest link (by customer id, email or phone);
 *  2. else the uuid the cart carried (`joinchat_uuid`), with its link's linkedAt as the window
 *     when the storefront linked it, none otherwise;
 *  3. else, only where the shop opted in, the customer's email or phone as JoinChat bound them.
 * Otherwise a reason, which the handler records on the event: never thrown.
 *
 * On the way, what the event teaches is kept: an anonymous link the cart's uuid names is attached
 * to this customer first (so it competes as one of their links, and customers/redact finds it),
 * and links known only by this customer's email or phone are attached to their id.
 */
export async function resolveRecipient(ctx: AppContext, shop: ShopRecord, ref: RecipientRef): Promise<Resolved> {
  const who = { customerId: ref.customerId, email: ref.email, phone: ref.phone };
  const cartUuid = joinchatUuidOf(ref.noteAttributes);
  let cartLink: LinkRecord | null = null;
  let cartUuidIsSomeoneElses = false;
  if (cartUuid) {
    try {
      cartLink = await ctx.links.attach(shop.domain, cartUuid, who);
    } catch (err) {
      if (!(err instanceof LinkOwnedByAnotherCustomerError)) throw err;
      // A shared device: another customer clicked Send to Messenger in this browser. Their
      // Messenger must not receive this customer's order.
      cartUuidIsSomeoneElses = true;
    }
  }

  const newest = await ctx.links.newestFor(shop.domain, who);
  if (newest) {
    if (ref.customerId && !newest.customerId) await ctx.links.attachByContact(shop.domain, who);
    return { recipient: { uuid: newest.uuid }, windowOpenedAt: newest.linkedAt, via: newest.uuid === cartUuid ? "cart attribute" : "customer link" };
  }
  if (cartUuid && !cartUuidIsSomeoneElses) {
    return { recipient: { uuid: cartUuid }, windowOpenedAt: cartLink?.linkedAt ?? null, via: "cart attribute" };
  }

  const optIn = shop.settings.recipientOptIn;
  if (optIn.email && ref.email?.trim()) return { recipient: { email: ref.email.trim() }, windowOpenedAt: null, via: "email opt-in" };
  if (optIn.phone && ref.phone?.trim()) return { recipient: { phone: ref.phone.trim() }, windowOpenedAt: null, via: "phone opt-in" };

  const cart = cartUuidIsSomeoneElses ? "the joinchat_uuid it carries is linked to another customer" : `it carries no ${CART_UUID_ATTRIBUTE}`;
  const contacts = optIn.email || optIn.phone ? `no ${[optIn.email && "email", optIn.phone && "phone"].filter(Boolean).join(" or ")} to fall back on` : "email/phone recipients are off for this shop";
  return { recipient: null, reason: `customer has no JoinChat link, ${cart}, and ${contacts}` };
}
