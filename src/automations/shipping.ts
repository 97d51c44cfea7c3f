import { buttonMessage, textMessage, urlButton } from "../messages/builders";
import type { ButtonMessage, Recipient, TextMessage } from "../messages/schema";
import type { ShopRecord } from "../store/shops";
import { on, skipped, unsent, type EventHandler, type SampleMessages } from "./contract";
import { AUTOMATIONS, policyFor } from "../policy/automations";
import { resolveRecipient } from "../recipients/resolver";
import { fulfillmentSchema, type Fulfillment } from "./payloads";
import { renderText } from "./templates";
import { webUrl } from "../messages/urls";
import { subjectKey } from "../store/keys";
import { botButtonsOf } from "./bot-buttons";

const trackingNumberOf = (f: Fulfillment) => f.tracking_number ?? f.tracking_numbers?.[0] ?? null;

/** {{carrier_phrase}}: the carrier as the sentence names it. */
export const carrierPhrase = (language: Language, carrier: string) => (language === "zh" ? `（${carrier}）` : ` with ${carrier}`);
/** {{tracking_phrase}}: the tracking number as a sentence of its own. */
export const trackingPhrase = (language: Language, trackingNumber: string) => (language === "zh" ? `物流单号：${trackingNumber}` : ` Tracking number: ${trackingNumber}.`);
type Language = ShopRecord["settings"]["language"];

/**
 * The notice: carrier and tracking number, with a tracking button when Shopify gave a tracking
 * URL, and the shop's bot button when set (a button message then, even without tracking).
 */
export function buildShippingNotice(s: ShopRecord, f: Fulfillment): ButtonMessage | TextMessage {
  const trackingNumber = trackingNumberOf(f);
  // A tracking URL that does not parse leaves the text-only notice, never a refused message.
  const trackingUrl = webUrl(f.tracking_url ?? f.tracking_urls?.[0]);
  const language = s.settings.language;
  const text = renderText(s, "shipping.text", {
    order_name: f.name?.replace(/\.\d+$/, "") ?? "",
    carrier: f.tracking_company ?? "",
    carrier_phrase: f.tracking_company ? carrierPhrase(language, f.tracking_company) : "",
    tracking_number: trackingNumber ?? "",
    tracking_phrase: trackingNumber ? trackingPhrase(language, trackingNumber) : "",
  });
  const buttons = [...(trackingUrl ? [urlButton(renderText(s, "shipping.button", {}), trackingUrl)] : []), ...botButtonsOf(s, "shipping")];
  return buttons.length ? buttonMessage(text, buttons) : textMessage(text);
}

/**
 * fulfillments/create and fulfillments/update: a shipping notice, tagged SHIPPING_UPDATE, with a
 * tracking button when Shopify gave a tracking URL and text only otherwise. One message per
 * fulfillment and tracking number: an update that adds tracking sends again, a repeat does not.
 * The recipient is the one its order's receipt went to, else whoever the fulfillment's email reaches.
 */
export const shippingNotice: EventHandler<Fulfillment> = async ({ ctx, payload: f, shop }) => {
  const s = shop!;
  if (!s.settings.automations.shipping) return skipped("shipping automation is off");
  if (f.status && ["cancelled", "error", "failure"].includes(f.status)) return skipped(`fulfillment is ${f.status}`);
  const earlier = await ctx.deliveries.recipientOfSubject(s.domain, subjectKey.order(f.order_id));
  let recipient: Recipient;
  let customerId: string | null = earlier?.customerId ?? null;
  let windowOpenedAt: Date | null = null;
  if (earlier) recipient = JSON.parse(earlier.recipient) as Recipient;
  else {
    const to = await resolveRecipient(ctx, s, { customerId: null, email: f.email ?? null, phone: null, noteAttributes: null });
    if (!to.recipient) return unsent("shipping", subjectKey.order(f.order_id), "no_recipient", `no recipient: ${to.reason}`);
    recipient = to.recipient;
    windowOpenedAt = to.windowOpenedAt;
    customerId = null;
  }
  const message = buildShippingNotice(s, f);
  const policy = policyFor("shipping", s.settings);
  return {
    state: "processed",
    deliveries: [
      {
        key: AUTOMATIONS.shipping.key(s.domain, f.id, trackingNumberOf(f)),
        automation: "shipping",
        recipient,
        customerId,
        message,
        tag: policy.tag,
        promotional: policy.promotional,
        windowOpenedAt,
        subjectKey: subjectKey.order(f.order_id),
        runAt: ctx.clock.now(),
      },
    ],
  };
};

/** shipping: its topics, read through fulfillmentSchema. */
const SAMPLE_FULFILLMENT = fulfillmentSchema.parse({
  id: 1,
  order_id: 1,
  name: "#1001.1",
  tracking_company: "UPS",
  tracking_number: "1Z999AA10123456784",
  tracking_url: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
});

const previewShippingNotice = (s: ShopRecord): SampleMessages => ({ message: buildShippingNotice(s, SAMPLE_FULFILLMENT), alternatives: [] });

export const shippingNoticeRegistration = on("shipping", ["fulfillments/create", "fulfillments/update"], fulfillmentSchema, shippingNotice, previewShippingNotice);
