/**
 * Every key format in one place. Delivery keys de-duplicate messages (one per order, per step of
 * a checkout, per fulfillment and tracking number); subject keys name what a message is about,
 * so that closing a checkout or redacting an order finds its messages.
 */
export const deliveryKey = {
  welcome: (shop: string, customerId: string) => `welcome:${shop}:${customerId}`,
  receipt: (shop: string, orderId: string) => `receipt:${shop}:${orderId}`,
  shipping: (shop: string, fulfillmentId: string, trackingNumber: string | null) => `${deliveryKeyPrefix.shipping(shop, fulfillmentId)}${trackingNumber ?? "none"}`,
  /** One delivery update per fulfillment and status (a carrier that reports "out for delivery" twice sends once). */
  delivery: (shop: string, fulfillmentId: string, status: string) => `delivery:${shop}:${fulfillmentId}:${status}`,
  /** One payment reminder per order, whatever topics or repeats arrive. */
  paymentReminder: (shop: string, orderId: string) => `payment-reminder:${shop}:${orderId}`,
  abandoned: (shop: string, checkoutToken: string, step: number) => `abandoned:${shop}:${checkoutToken}:${step}`,
  /** A message an operator or merchant sends by hand (admin test message, `npm run cli -- send`). */
  manual: (shop: string, id: string) => `manual:${shop}:${id}`,
};

/** What every key of one kind about one thing starts with: the shipping notices of a fulfillment, whatever their tracking number. */
export const deliveryKeyPrefix = {
  shipping: (shop: string, fulfillmentId: string) => `shipping:${shop}:${fulfillmentId}:`,
};

/** The carrier status of a delivery update's key (out_for_delivery, delivered, attempted_delivery); null for any other key. */
export function deliveryUpdateStatusOfKey(key: string): string | null {
  return key.startsWith("delivery:") ? key.slice(key.lastIndexOf(":") + 1) : null;
}

/** The checkout token and step of an abandoned-checkout recall's key; null for any other key. */
export function recallOfKey(key: string): { checkoutToken: string; step: number } | null {
  const m = /^abandoned:[^:]+:(.+):(\d+)$/.exec(key);
  return m ? { checkoutToken: m[1]!, step: Number(m[2]) } : null;
}

export const subjectKey = {
  customer: (customerId: string) => `customer:${customerId}`,
  order: (orderId: string) => `order:${orderId}`,
  /**
   * An order's unpaid balance, closed when it is paid or cancelled. Apart from `order`, whose
   * closing would also cancel the order's later shipping notices.
   */
  payment: (orderId: string) => `payment:${orderId}`,
  /** A fulfillment's carrier scans, versioned by when each happened (an older scan arriving late changes nothing). */
  fulfillment: (fulfillmentId: string) => `fulfillment:${fulfillmentId}`,
  checkout: (token: string) => `checkout:${token}`,
  /** An order names its checkout by cart token or checkout id when it arrives before the checkout. */
  cart: (cartToken: string) => `cart:${cartToken}`,
  checkoutId: (checkoutId: string) => `checkout-id:${checkoutId}`,
};

/** JoinChat's code for a recipient it does not know (never opted in on the page, or blocked it). */
export const UNKNOWN_RECIPIENT = "10010";
/** Why a recipient's promotions stop after JoinChat answered 10010. */
export const UNREACHABLE_REASON = "JoinChat does not know this recipient (10010): promotions to them stop until they opt in again";
