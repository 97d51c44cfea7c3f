import type { AppContext } from "../context";
import type { Recipient } from "../messages/schema";
import type { ShopRecord } from "../store/shops";

export interface RecipientRef {
  customerId: string | null;
  email: string | null;
  phone: string | null;
  /** The event's note_attributes, where the storefront's `joinchat_uuid` cart attribute lands. */
  noteAttributes: { name: string; value?: unknown }[] | null;
}

export type Resolved =
  | { recipient: Recipient; windowOpenedAt: Date | null; via: string }
  | { recipient: null; reason: string };

/** The `joinchat_uuid` cart attribute the storefront script sets (CONTRACT.md). */
export function joinchatUuidOf(noteAttributes: RecipientRef["noteAttributes"]): string | null {
  const attr = noteAttributes?.find((a) => a.name === "joinchat_uuid");
  return typeof attr?.value === "string" && attr.value.trim() !== "" ? attr.value.trim() : null;
}

/**
 * Who a message about this event goes to, for every automation: the uuid of the customer's
 * newest link; else the uuid the cart carried (attached to the customer for next time); else,
 * only where the shop opted in, the customer's email or phone as JoinChat bound them. Otherwise
 * a reason, which the handler records on the event.
 */
export async function resolveRecipient(ctx: AppContext, shop: ShopRecord, ref: RecipientRef): Promise<Resolved> {
  const linked = await ctx.links.newestFor(shop.domain, ref);
  if (linked) return { recipient: { uuid: linked.uuid }, windowOpenedAt: linked.linkedAt, via: "link" };
  const cartUuid = joinchatUuidOf(ref.noteAttributes);
  if (cartUuid) {
    const link = await ctx.links.find(shop.domain, cartUuid);
    if (link) await ctx.links.attach(shop.domain, cartUuid, ref);
    return { recipient: { uuid: cartUuid }, windowOpenedAt: link?.linkedAt ?? null, via: "cart attribute" };
  }
  if (shop.settings.recipientOptIn.email && ref.email) return { recipient: { email: ref.email }, windowOpenedAt: null, via: "email opt-in" };
  if (shop.settings.recipientOptIn.phone && ref.phone) return { recipient: { phone: ref.phone }, windowOpenedAt: null, via: "phone opt-in" };
  return { recipient: null, reason: "customer has no JoinChat link, the order no joinchat_uuid, and email/phone recipients are off" };
}
