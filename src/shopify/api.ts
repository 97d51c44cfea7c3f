// The library's Node runtime (fetch, crypto, request conversion), loaded before the library itself.
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from "@shopify/shopify-api";
import type { Config } from "../config/env";

/** The Admin API version the app is written against (webhook payloads, GraphQL). */
export const API_VERSION = ApiVersion.October26;

/**
 * @shopify/shopify-api, configured once. Null until the app's credentials are set: without them
 * there is no OAuth, and webhooks and app-proxy calls cannot be verified, so they are refused.
 */
export function createShopify(config: Config): Shopify | null {
  if (!config.SHOPIFY_API_KEY || !config.SHOPIFY_API_SECRET) return null;
  const appUrl = new URL(config.appUrl);
  return shopifyApi({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    scopes: config.SHOPIFY_SCOPES.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    hostName: appUrl.host,
    hostScheme: appUrl.protocol === "http:" ? "http" : "https",
    apiVersion: API_VERSION,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error, httpRequests: false, timestamps: false, log: async () => {} },
  });
}
