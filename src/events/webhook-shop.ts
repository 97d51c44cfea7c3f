import type { Clock } from "../clock";
import { COMPLIANCE_TOPICS } from "./topics";
import { isShopDomain } from "../shop-domain";

/**
 * The shop a webhook's body names, where it names one. Shopify's HMAC covers the body but not
 * the headers, so a genuine body replayed with another shop's X-Shopify-Shop-Domain would be
 * worked as that shop's (a shop/redact deleting it, an order's receipt sent with its settings).
 * Where the body says whose it is, the ingress holds the header to it.
 *
 * Runs before the acknowledgement, so it costs little on the hot path: only the compliance
 * topics and app/uninstalled (rare, small bodies) are parsed; an order is scanned for its
 * `order_status_url` key with a native byte search (a key's quotes cannot occur unescaped inside
 * a JSON string, so what follows it is the key's value), no parse. Other topics name no shop.
 */

/** Where the shop is named: the field of the parsed body, per topic. */
const SHOP_FIELD: Record<string, string> = {
  ...Object.fromEntries(COMPLIANCE_TOPICS.map((t) => [t, "shop_domain"])),
  // The payload is the Shop resource.
  "app/uninstalled": "myshopify_domain",
};

const ORDER_STATUS_KEY = Buffer.from('"order_status_url"');
const QUOTE = 0x22;
const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The myshopify.com domain the body names, or null where it names none (another topic, a field
 * absent, an order status page on the shop's own custom domain: nothing to compare then).
 */
export function shopNamedInBody(topic: string, raw: Buffer): string | null {
  const field = SHOP_FIELD[topic];
  if (field !== undefined) {
    let named: unknown;
    try {
      named = (JSON.parse(raw.toString("utf8")) as Record<string, unknown> | null)?.[field];
    } catch {
      return null; // not JSON: the ingress refuses it on its own account
    }
    return typeof named === "string" ? named.toLowerCase() : null;
  }
  if (topic.startsWith("orders/")) return orderStatusHost(raw);
  return null;
}

/** The host of an order's `order_status_url` when it is a myshopify.com domain (read from the bytes). */
function orderStatusHost(raw: Buffer): string | null {
  const key = raw.indexOf(ORDER_STATUS_KEY);
  if (key < 0) return null;
  let i = key + ORDER_STATUS_KEY.length;
  while (isSpace(raw[i])) i++;
  if (raw[i++] !== 0x3a /* : */) return null;
  while (isSpace(raw[i])) i++;
  if (raw[i++] !== QUOTE) return null;
  const end = raw.indexOf(QUOTE, i);
  if (end < 0 || end - i > 2048) return null;
  const value = raw.toString("latin1", i, end);
  const host = /^https:\/\/([^/?#:]+)/.exec(value)?.[1]?.toLowerCase();
  return host !== undefined && isShopDomain(host) ? host : null;
}

/**
 * How long Shopify retries a webhook: 8 tries over 4 hours (shopify.dev changelog, 2024-09-10),
 * with an hour's margin for clocks and queues. A destructive event triggered longer ago than this
 * is not a delivery Shopify is still making: it is a replay.
 */
export const RETRY_HORIZON_MS = 5 * 3600_000;

/** Topics that delete or deactivate a whole shop: a stale one is acknowledged and ignored. */
const STALE_IGNORED = new Set(["shop/redact", "app/uninstalled"]);

/** Why a webhook is ignored as older than Shopify's retry horizon, or null when it is to be worked. */
export function staleReason(topic: string, triggeredAt: string | undefined, clock: Clock): string | null {
  if (!STALE_IGNORED.has(topic) || triggeredAt === undefined) return null;
  const at = Date.parse(triggeredAt);
  if (Number.isNaN(at) || clock.now().getTime() - at <= RETRY_HORIZON_MS) return null;
  return `triggered at ${triggeredAt}, longer ago than Shopify retries a webhook (${RETRY_HORIZON_MS / 3600_000} h): a replay, ignored`;
}
