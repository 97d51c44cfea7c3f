import crypto from "node:crypto";

/** A payload's value in a key as it is up to this length; past it (a 3,000-character tracking number), cut. */
const LONGEST_PART = 200;

/**
 * A key's part from a payload, bounded: a longer value becomes its first 100 characters and its
 * sha256, so every key stays within what an index takes (PostgreSQL: 2,704 bytes a row) and
 * still tells values apart. Short values, all real ones, stay as they are, and so do their keys.
 * Bounding twice changes nothing, so a part read back from a key builds the same key again.
 */
export function keyPart(value: string): string {
  if (value.length <= LONGEST_PART) return value;
  return `${value.slice(0, 100)}~${crypto.createHash("sha256").update(value).digest("hex")}`;
}

/**
 * Every key format in one place. Delivery keys de-duplicate messages (one per order, per step of
 * a checkout, per fulfillment and tracking number); subject keys name what a message is about,
 * so that closing a checkout or redacting an order finds its messages.
 */
export const deliveryKey = {
  welcome: (shop: string, customerId: string) => `welcome:${shop}:${keyPart(customerId)}`,
  receipt: (shop: string, orderId: string) => `receipt:${shop}:${keyPart(orderId)}`,
  shipping: (shop: string, fulfillmentId: string, trackingNumber: string | null) => `${deliveryKeyPrefix.shipping(shop, fulfillmentId)}${keyPart(trackingNumber ?? "none")}`,
  /** One delivery update per fulfillment and status (a carrier that reports "out for delivery" twice sends once). */
  delivery: (shop: string, fulfillmentId: string, status: string) => `delivery:${shop}:${keyPart(fulfillmentId)}:${status}`,
  /** One payment reminder per order, whatever topics or repeats arrive. */
  paymentReminder: (shop: string, orderId: string) => `payment-reminder:${shop}:${keyPart(orderId)}`,
  abandoned: (shop: string, checkoutToken: string, step: number) => `abandoned:${shop}:${keyPart(checkoutToken)}:${step}`,
  /** A message an operator or merchant sends by hand (admin test message, `npm run cli -- send`). */
  manual: (shop: string, id: string) => `manual:${shop}:${keyPart(id)}`,
};

/** What every key of one kind about one thing starts with: the shipping notices of a fulfillment, whatever their tracking number. */
export const deliveryKeyPrefix = {
  shipping: (shop: string, fulfillmentId: string) => `shipping:${shop}:${keyPart(fulfillmentId)}:`,
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
  customer: (customerId: string) => `customer:${keyPart(customerId)}`,
  order: (orderId: string) => `order:${keyPart(orderId)}`,
  /**
   * An order's unpaid balance, closed when it is paid or cancelled. Apart from `order`, whose
   * closing would also cancel the order's later shipping notices.
   */
  payment: (orderId: string) => `payment:${keyPart(orderId)}`,
  /** A fulfillment's carrier scans, versioned by when each happened (an older scan arriving late changes nothing). */
  fulfillment: (fulfillmentId: string) => `fulfillment:${keyPart(fulfillmentId)}`,
  checkout: (token: string) => `checkout:${keyPart(token)}`,
  /** An order names its checkout by cart token or checkout id when it arrives before the checkout. */
  cart: (cartToken: string) => `cart:${keyPart(cartToken)}`,
  checkoutId: (checkoutId: string) => `checkout-id:${keyPart(checkoutId)}`,
};

/** JoinChat's code for a recipient it does not know (never opted in on the page, or blocked it). */
export const UNKNOWN_RECIPIENT = "10010";
/** Why a recipient's promotions stop after JoinChat answered 10010. */
export const UNREACHABLE_REASON = "JoinChat does not know this recipient (10010): promotions to them stop until they opt in again";
