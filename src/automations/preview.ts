import { LIMITS } from "../messages/limits";
import type { Preview } from "../admin-views";
import type { Message } from "../messages/schema";
import { policyFor } from "../policy/automations";
import type { AutomationName } from "../policy/automation-names";
import type { ShopRecord } from "../store/shops";
import { buildRecall } from "./abandoned-checkout";
import { checkoutSchema, fulfillmentSchema, orderSchema } from "./payloads";
import { buildReceipt } from "./receipt";
import { buildShippingNotice } from "./shipping";
import { buildDeliveryUpdate } from "./delivery-update";
import { buildPaymentReminder } from "./payment-reminder";
import { checkedLength, longestValues, templateProblem } from "./template-check";
import { automationOfTemplate, TEMPLATE_LIMITS, TEMPLATE_PLACEHOLDERS, type TemplateKey } from "./templates";
import { buildWelcome } from "./welcome-coupon";

export { automationOfTemplate, TEMPLATE_PLACEHOLDERS };

// Sample store events the previews are built from, read through the handlers' own schemas.
const SAMPLE_URL = "https://example.com/checkouts/c/sample";
const sampleItem = (title: string, variant: string, price: string) => ({ title, variant_title: variant, quantity: 1, price, image_url: null });
const SAMPLE_CHECKOUT = checkoutSchema.parse({
  token: "sample",
  currency: "USD",
  abandoned_checkout_url: SAMPLE_URL,
  customer: { id: 1, first_name: "Alan" },
  line_items: [sampleItem("Linen shirt", "M / Sand", "49.00")],
});
const SAMPLE_CART = checkoutSchema.parse({
  ...SAMPLE_CHECKOUT,
  line_items: [sampleItem("Linen shirt", "M / Sand", "49.00"), sampleItem("Canvas tote", "Natural", "19.50")],
});
// Past 10 items the carousel's last card names the rest: 9 cards, then "+ 3 more items (57.00 USD)".
const SAMPLE_BIG_CART = checkoutSchema.parse({
  ...SAMPLE_CHECKOUT,
  line_items: [
    ...["Linen shirt", "Canvas tote", "Wool socks", "Denim jacket", "Cotton scarf", "Leather belt", "Straw hat", "Silk tie", "Rain coat"].map((t) => sampleItem(t, "M", "25.00")),
    ...["Beanie", "Gloves", "Bandana"].map((t) => sampleItem(t, "One size", "19.00")),
  ],
});
const SAMPLE_FULFILLMENT = fulfillmentSchema.parse({
  id: 1,
  order_id: 1,
  name: "#1001.1",
  tracking_company: "UPS",
  tracking_number: "1Z999AA10123456784",
  tracking_url: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
});
const SAMPLE_ORDER = orderSchema.parse({
  id: 1,
  name: "#1001",
  currency: "USD",
  total_price: "73.45",
  subtotal_price: "68.50",
  total_tax: "4.95",
  total_shipping_price_set: { shop_money: { amount: "0.00" } },
  payment_gateway_names: ["shopify_payments"],
  customer: { id: 1, first_name: "Alan", last_name: "Turing" },
  line_items: [sampleItem("Linen shirt", "M / Sand", "49.00"), sampleItem("Canvas tote", "Natural", "19.50")],
});
const SAMPLE_STATUS_URL = "https://example.com/orders/sample/authenticate?key=sample";
const SAMPLE_UNPAID_ORDER = orderSchema.parse({ ...SAMPLE_ORDER, financial_status: "pending", payment_gateway_names: ["bank_transfer"], order_status_url: SAMPLE_STATUS_URL });

const SAMPLE_CREDIT = { amount: "5", currency: "USD" };

/** The preview of `automation` for `shop`, with unsaved template texts and language applied. */
export function previewMessage(
  shop: ShopRecord,
  automation: AutomationName,
  o: { templates?: Partial<Record<TemplateKey, string>>; language?: ShopRecord["settings"]["language"] } = {},
): Preview {
  const s: ShopRecord = {
    ...shop,
    settings: { ...shop.settings, language: o.language ?? shop.settings.language, templates: { ...shop.settings.templates, ...o.templates } },
  };
  const code = s.couponCode ?? `${s.settings.uniqueCoupon.prefix}-SAMPLE`;
  const alternatives: Preview["alternatives"] = [];
  let message: Message;
  if (automation === "welcome") {
    // The shop's reward as it would be granted; each phrase measured with a sample when not set.
    const credit = s.settings.signupReward.storeCredit ?? null;
    message = buildWelcome(s, "Alan", code, credit);
    if (!s.settings.signupReward.points && !credit) {
      alternatives.push({
        label: "With loyalty points and store credit (once set in Settings)",
        message: buildWelcome({ ...s, settings: { ...s.settings, signupReward: { points: 100 } } }, "Alan", code, SAMPLE_CREDIT),
      });
    }
  } else if (automation === "abandoned") {
    message = buildRecall(s, SAMPLE_CHECKOUT, SAMPLE_URL);
    alternatives.push({ label: "Cart with several items", message: buildRecall(s, SAMPLE_CART, SAMPLE_URL) });
    alternatives.push({ label: "Cart with 12 items (the last card names the rest)", message: buildRecall(s, SAMPLE_BIG_CART, SAMPLE_URL) });
  } else if (automation === "shipping") {
    message = buildShippingNotice(s, SAMPLE_FULFILLMENT);
  } else if (automation === "delivery") {
    const trackingUrl = SAMPLE_FULFILLMENT.tracking_url!;
    message = buildDeliveryUpdate(s, "out_for_delivery", trackingUrl);
    alternatives.push({ label: "Delivered", message: buildDeliveryUpdate(s, "delivered", trackingUrl) });
    alternatives.push({ label: "Delivery attempt failed", message: buildDeliveryUpdate(s, "attempted_delivery", trackingUrl) });
  } else if (automation === "payment_reminder") {
    message = buildPaymentReminder(s, SAMPLE_UNPAID_ORDER, { total: "73.45", currency: "USD" }, SAMPLE_STATUS_URL);
  } else message = buildReceipt(SAMPLE_ORDER);
  const keys = (Object.keys(TEMPLATE_LIMITS) as TemplateKey[]).filter((k) => automationOfTemplate(k) === automation);
  const longest = longestValues(s);
  return {
    message,
    alternatives,
    promotional: policyFor(automation, s.settings).promotional,
    tag: s.settings.pastWindow === "send_tagged" ? (policyFor(automation, s.settings).tag ?? null) : null,
    // Counted as saving checks it: with the longest values, not the sample's.
    fields: keys.map((key) => ({ key, length: checkedLength(s, key, longest), limit: TEMPLATE_LIMITS[key], problem: templateProblem(s, key, longest) })),
    buttons: "buttons" in message && message.buttons ? { used: message.buttons.length, limit: LIMITS.buttonsPerButtonMessage.max } : null,
  };
}
