import { keyPart } from "../policy/key-part";

/**
 * Subject keys name what a message is about, so that closing a checkout or redacting an order
 * finds its messages. (Delivery keys, one format per automation, are in the catalog:
 * src/policy/automations.ts.)
 */
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
