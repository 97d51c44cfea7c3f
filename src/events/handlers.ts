import { appScopesUpdate, appUninstalled, customerRedact, dataRequest, shopRedact } from "./compliance";
import { welcomeCoupon } from "../automations/welcome-coupon";
import { abandonedCheckout } from "../automations/abandoned-checkout";
import { orderReceipt } from "../automations/receipt";
import { shippingNotice } from "../automations/shipping";
import { deliveryUpdate } from "../automations/delivery-update";
import { orderCancelled } from "../automations/payment-reminder";
import type { z } from "zod";
import { skipped, type EventHandler } from "../automations/contract";
import { checkoutSchema, fulfillmentEventSchema, fulfillmentSchema, newCustomerSchema, orderSchema, readPayload } from "../automations/payloads";
import type { KnownTopic } from "./topics";

interface HandlerEntry {
  /** Reads the payload through the topic's schema, then hands it, typed, to the handler. */
  handle: EventHandler;
  /** Whether the handler needs the shop's JoinChat settings; if they are missing the event is skipped. */
  needsShop: boolean;
}

/**
 * A topic's route: the schema its payload is read with, once, before the handler (as
 * octokit/webhooks types each event), and the handler that gets the typed value. A payload that
 * does not fit is skipped with the schema's reason; the handler never parses.
 */
function route<P>(schema: z.ZodType<P>, handle: EventHandler<P>, needsShop = true): HandlerEntry {
  return {
    needsShop,
    handle: async (e) => {
      const read = readPayload(schema, e.payload);
      return read.ok ? handle({ ...e, payload: read.value }) : skipped(read.reason);
    },
  };
}

/** The compliance and app topics read what they need of the raw payload themselves. */
const raw = (handle: EventHandler): HandlerEntry => ({ handle, needsShop: false });

/** Topic -> schema and handler: every topic the app subscribes to has one. */
export const TOPIC_HANDLERS: Record<KnownTopic, HandlerEntry> = {
  "customers/create": route(newCustomerSchema, welcomeCoupon),
  "checkouts/create": route(checkoutSchema, abandonedCheckout),
  "checkouts/update": route(checkoutSchema, abandonedCheckout),
  "orders/create": route(orderSchema, orderReceipt),
  "orders/paid": route(orderSchema, orderReceipt),
  "orders/cancelled": route(orderSchema, orderCancelled),
  "fulfillments/create": route(fulfillmentSchema, shippingNotice),
  "fulfillments/update": route(fulfillmentSchema, shippingNotice),
  "fulfillment_events/create": route(fulfillmentEventSchema, deliveryUpdate),
  "customers/data_request": raw(dataRequest),
  "customers/redact": raw(customerRedact),
  "shop/redact": raw(shopRedact),
  "app/uninstalled": raw(appUninstalled),
  "app/scopes_update": raw(appScopesUpdate),
};
