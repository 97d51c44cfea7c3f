// Names the merchant reads, shared by pages that load apart (each page is its own chunk).

/** Each automation by the name the delivery log, Settings and Results give it. */
export const AUTOMATION_LABELS: Record<string, string> = {
  welcome: "Welcome coupon",
  abandoned: "Abandoned checkout",
  receipt: "Order receipt",
  shipping: "Shipping notice",
  delivery: "Delivery update",
  payment_reminder: "Payment reminder",
  manual: "Test message",
};

/** Whom a subscriber is, as far as the app knows: their email, phone or Shopify customer id, else an anonymous visitor. */
export const subscriberLabel = (s: { email: string | null; phone: string | null; customerId: string | null }): string =>
  s.email ?? s.phone ?? (s.customerId ? `Customer ${s.customerId}` : "Anonymous visitor");
