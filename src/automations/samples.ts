/**
 * Sample store events the admin's previews are built from, read through the handlers' own
 * schemas: what more than one automation's preview starts from. Each automation's own samples
 * are in its file, beside its registration.
 */
import { orderSchema } from "./payloads";

export const sampleItem = (title: string, variant: string, price: string) => ({ title, variant_title: variant, quantity: 1, price, image_url: null });

export const SAMPLE_ORDER = orderSchema.parse({
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
