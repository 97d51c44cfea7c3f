import { appScopesUpdate, appUninstalled, customerRedact, dataRequest, shopRedact } from "./compliance";
import { welcomeCoupon } from "../automations/welcome-coupon";
import { abandonedCheckout } from "../automations/abandoned-checkout";
import { orderReceipt } from "../automations/receipt";
import { shippingNotice } from "../automations/shipping";
import type { EventHandler } from "../automations/contract";
import type { KnownTopic } from "./topics";

interface HandlerEntry {
  handle: EventHandler;
  /** Whether the handler needs the shop's JoinChat settings; if they are missing the event is skipped. */
  needsShop: boolean;
}

/** Topic -> handler: every topic the app subscribes to has one. */
export const TOPIC_HANDLERS: Record<KnownTopic, HandlerEntry> = {
  "customers/create": { handle: welcomeCoupon, needsShop: true },
  "checkouts/create": { handle: abandonedCheckout, needsShop: true },
  "checkouts/update": { handle: abandonedCheckout, needsShop: true },
  "orders/create": { handle: orderReceipt, needsShop: true },
  "orders/paid": { handle: orderReceipt, needsShop: true },
  "fulfillments/create": { handle: shippingNotice, needsShop: true },
  "fulfillments/update": { handle: shippingNotice, needsShop: true },
  "customers/data_request": { handle: dataRequest, needsShop: false },
  "customers/redact": { handle: customerRedact, needsShop: false },
  "shop/redact": { handle: shopRedact, needsShop: false },
  "app/uninstalled": { handle: appUninstalled, needsShop: false },
  "app/scopes_update": { handle: appScopesUpdate, needsShop: false },
};
