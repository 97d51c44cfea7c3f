import { z } from "zod";
import { shopDomainSchema } from "../shop-domain";

/** The headers Shopify sends with every webhook, as the ingress needs them. */
export const webhookHeadersSchema = z.object({
  "x-shopify-topic": z.string({ message: "X-Shopify-Topic header is missing" }).regex(/^[a-z_]+\/[a-z_]+$/, { message: "X-Shopify-Topic is not a topic" }),
  "x-shopify-shop-domain": shopDomainSchema({ missing: "X-Shopify-Shop-Domain header is missing", invalid: "X-Shopify-Shop-Domain is not a myshopify.com domain" }),
  "x-shopify-event-id": z.string().min(1).max(255).optional(),
  "x-shopify-webhook-id": z.string().min(1).max(255).optional(),
  "x-shopify-api-version": z.string().max(32).optional(),
  "x-shopify-triggered-at": z.string().max(64).optional(),
});
export type WebhookHeaders = z.infer<typeof webhookHeadersSchema>;

/** Shopify delivers at least once: the event id names one event across retries (the webhook id is the fallback). */
export function eventKeyOf(h: WebhookHeaders): string | null {
  return h["x-shopify-event-id"] ?? h["x-shopify-webhook-id"] ?? null;
}
