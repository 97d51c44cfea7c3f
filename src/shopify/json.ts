import { isSafeNumber, parse } from "lossless-json";

/**
 * Parses a Shopify payload keeping ids exact: an integer beyond 2^53 (Shopify sends some, e.g.
 * checkout and customer ids) becomes its decimal string instead of a rounded number. Every
 * other number is a plain number. Code reading ids always goes through `String(...)`.
 */
export function parseShopifyJson(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : digits));
}
