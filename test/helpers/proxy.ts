import crypto from "node:crypto";
import { TEST_SHOPIFY_SECRET } from "./app";

/**
 * An app-proxy query as Shopify signs it (shopify.dev, "Authenticate app proxies"): every
 * parameter but `signature` as key=value (array values joined with ","), sorted, concatenated
 * without separators, HMAC-SHA256 with the app secret, hex. Computed here, not by the app.
 */
export function signedProxyQuery(params: Record<string, string>, secret = TEST_SHOPIFY_SECRET): string {
  const message = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("");
  const signature = crypto.createHmac("sha256", secret).update(message).digest("hex");
  return new URLSearchParams({ ...params, signature }).toString();
}

export const nowSeconds = () => String(Math.floor(Date.now() / 1000));
