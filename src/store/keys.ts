/**
 * Every key format in one place. Delivery keys de-duplicate messages (one per order, per step of
 * a checkout, per fulfillment and tracking number); subject keys name what a message is about,
 * so that closing a checkout or redacting an order finds its messages.
 */
export const deliveryKey = {
  welcome: (shop: string, customerId: string) => `welcome:${shop}:${customerId}`,
  receipt: (shop: string, orderId: string) => `receipt:${shop}:${orderId}`,
  shipping: (shop: string, fulfillmentId: string, trackingNumber: string | null) => `shipping:${shop}:${fulfillmentId}:${trackingNumber ?? "none"}`,
  abandoned: (shop: string, checkoutToken: string, step: number) => `abandoned:${shop}:${checkoutToken}:${step}`,
  /** A message an operator or merchant sends by hand (admin test message, `npm run cli -- send`). */
  manual: (shop: string, id: string) => `manual:${shop}:${id}`,
};

/** The checkout token and step of an abandoned-checkout recall's key; null for any other key. */
export function recallOfKey(key: string): { checkoutToken: string; step: number } | null {
  const m = /^abandoned:[^:]+:(.+):(\d+)$/.exec(key);
  return m ? { checkoutToken: m[1]!, step: Number(m[2]) } : null;
}

export const subjectKey = {
  customer: (customerId: string) => `customer:${customerId}`,
  order: (orderId: string) => `order:${orderId}`,
  checkout: (token: string) => `checkout:${token}`,
  /** An order names its checkout by cart token or checkout id when it arrives before the checkout. */
  cart: (cartToken: string) => `cart:${cartToken}`,
  checkoutId: (checkoutId: string) => `checkout-id:${checkoutId}`,
};

/** JoinChat's code for a recipient it does not know (never opted in on the page, or blocked it). */
export const UNKNOWN_RECIPIENT = "10010";
/** Why a recipient's promotions stop after JoinChat answered 10010. */
export const UNREACHABLE_REASON = "JoinChat does not know this recipient (10010): promotions to them stop until they opt in again";
