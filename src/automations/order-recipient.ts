import { resolveRecipient, type Resolved } from "../recipients/resolver";
import type { EventContext } from "./contract";
import type { Order } from "./payloads";

/**
 * Who an order is for: its customer's link, its cart's uuid, or an opt-in by email or phone.
 * Resolved once per event however many automations answering the order's topic ask (the
 * receipt and the payment reminder both do): the topic table hands each the same read payload,
 * and the resolution is kept against it.
 */
const resolved = new WeakMap<Order, Promise<Resolved>>();

export function orderRecipient({ ctx, payload: order, shop }: EventContext<Order>): Promise<Resolved> {
  let r = resolved.get(order);
  if (!r) {
    r = resolveRecipient(ctx, shop!, {
      customerId: order.customer?.id ?? null,
      email: order.customer?.email || order.email || null,
      phone: order.customer?.phone || order.phone || null,
      noteAttributes: order.note_attributes ?? null,
    });
    resolved.set(order, r);
  }
  return r;
}
