import { buttonMessage, textMessage, urlButton } from "../messages/builders";
import type { ButtonMessage, Message, Recipient, TextMessage } from "../messages/schema";
import { webUrl } from "../messages/urls";
import { AUTOMATIONS, isDeliveryStatus, policyFor, shippingKeyPrefix, type DeliveryStatus } from "../policy/automations";
import { subjectKey } from "../store/keys";
import type { ShopRecord } from "../store/shops";
import { on, skipped, unsent, type EventHandler, type SampleMessages } from "./contract";
import { fulfillmentEventSchema, type FulfillmentEvent } from "./payloads";
import { renderText } from "./templates";

/** The update: the status in the shop's words, with a tracking button when there is a link to follow. */
export function buildDeliveryUpdate(s: ShopRecord, status: DeliveryStatus, trackingUrl: string | null): ButtonMessage | TextMessage {
  const text = renderText(s, `delivery.${status}`, {});
  return trackingUrl ? buttonMessage(text, [urlButton(renderText(s, "delivery.button", {}), trackingUrl)]) : textMessage(text);
}

/** The first URL button of a stored message, or a receipt's order page. */
function linkOf(message: Message): string | null {
  if ("buttons" in message) for (const b of message.buttons ?? []) if (b.type === "web_url") return webUrl(b.url);
  if (message.template_type === "receipt") return webUrl(message.order_url);
  return null;
}

/**
 * Where the customer follows the parcel: the carrier's tracking page the fulfillment's shipping
 * notice linked to, else the order status page its receipt linked to (Shopify shows the
 * fulfillment's tracking there). A carrier's event carries neither.
 */
async function trackingLinkOf(e: Parameters<EventHandler<FulfillmentEvent>>[0], orderSubject: string): Promise<string | null> {
  const { ctx, payload: ev, shop } = e;
  const earlier = await ctx.deliveries.messagesOfSubject(shop!.domain, orderSubject, ["shipping", "receipt"]);
  const prefix = shippingKeyPrefix(shop!.domain, ev.fulfillment_id);
  const ranked = [...earlier.filter((m) => m.key.startsWith(prefix)), ...earlier.filter((m) => m.automation === "receipt")];
  for (const m of ranked) {
    const link = linkOf(JSON.parse(m.message) as Message);
    if (link) return link;
  }
  return null;
}

/**
 * fulfillment_events/create: a carrier's scan of a fulfillment. Out for delivery, delivered and a
 * failed delivery attempt each send one update per fulfillment (a repeated scan sends nothing),
 * when the shop turned that status on; any other status is skipped with the reason, and so is a
 * scan older (happened_at) than one of these already handled for the fulfillment. The update
 * goes as the shipping notice does (policy "delivery": its tag, its rule past the 24-hour
 * window) to the recipient the order's receipt or shipping notice went to: the event names no
 * customer, so an order the app never messaged anyone about gets none.
 */
export const deliveryUpdate: EventHandler<FulfillmentEvent> = async (e) => {
  const { ctx, payload: ev } = e;
  const s = e.shop!;
  if (!isDeliveryStatus(ev.status)) return skipped(`fulfillment event "${ev.status}" is not a delivery update the app sends`);
  // Shopify does not deliver in order: "out for delivery" arriving after "delivered" is old news.
  // Every one of these scans is recorded, sent or not, so a late older one is recognised.
  const happenedAt = Date.parse(ev.happened_at ?? "");
  const scans = subjectKey.fulfillment(ev.fulfillment_id);
  const version = Number.isNaN(happenedAt) ? undefined : { subjectKey: scans, triggeredAt: new Date(happenedAt) };
  const applied = version && (await ctx.deliveries.appliedVersion(s.domain, scans));
  if (applied && version && applied > version.triggeredAt) return skipped(`carrier scan "${ev.status}" is older than one already handled`);
  if (!s.settings.deliveryUpdates[ev.status]) return { ...skipped(`delivery update "${ev.status}" is off`), version };
  const orderSubject = subjectKey.order(ev.order_id);
  const earlier = await ctx.deliveries.recipientOfSubject(s.domain, orderSubject);
  if (!earlier) return { ...unsent("delivery", orderSubject, "no_recipient", "no recipient: no receipt or shipping notice of this order went to a customer"), version };
  const policy = policyFor("delivery", s.settings);
  return {
    state: "processed",
    version,
    deliveries: [
      {
        key: AUTOMATIONS.delivery.key(s.domain, ev.fulfillment_id, ev.status),
        automation: "delivery",
        recipient: JSON.parse(earlier.recipient) as Recipient,
        customerId: earlier.customerId,
        message: buildDeliveryUpdate(s, ev.status, await trackingLinkOf(e, orderSubject)),
        tag: policy.tag,
        promotional: policy.promotional,
        windowOpenedAt: null,
        subjectKey: orderSubject,
        runAt: ctx.clock.now(),
      },
    ],
  };
};

/** delivery: its topics, read through fulfillmentEventSchema. */
const SAMPLE_TRACKING_URL = "https://www.ups.com/track?tracknum=1Z999AA10123456784";

/** The admin's preview: each status's update, as a sample parcel's scans would send them. */
const previewDeliveryUpdates = (s: ShopRecord): SampleMessages => ({
  message: buildDeliveryUpdate(s, "out_for_delivery", SAMPLE_TRACKING_URL),
  alternatives: [
    { label: "Delivered", message: buildDeliveryUpdate(s, "delivered", SAMPLE_TRACKING_URL) },
    { label: "Delivery attempt failed", message: buildDeliveryUpdate(s, "attempted_delivery", SAMPLE_TRACKING_URL) },
  ],
});

export const deliveryUpdateRegistration = on("delivery", ["fulfillment_events/create"], fulfillmentEventSchema, deliveryUpdate, previewDeliveryUpdates);
