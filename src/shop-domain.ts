/** A shop's permanent domain, as Shopify names it: lower-case `<handle>.myshopify.com`. */
import { z } from "zod";

const MYSHOPIFY_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** Whether `domain` is a shop's myshopify.com domain (exactly, lower-case: what Shopify sends and signs). */
export function isShopDomain(domain: string): boolean {
  return MYSHOPIFY_DOMAIN.test(domain);
}

/** A myshopify.com domain as input is checked at an edge, each edge saying in its own words what is wrong. */
export function shopDomainSchema(messages: { invalid: string; missing?: string }) {
  return z.string(messages.missing === undefined ? undefined : { message: messages.missing }).regex(MYSHOPIFY_DOMAIN, { message: messages.invalid });
}
