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
