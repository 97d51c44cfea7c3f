import crypto from "node:crypto";
import { TEST_SHOPIFY_SECRET } from "./app";

/**
 * An app-proxy query as Shopify signs it (shopify.dev, "Authenticate app proxies"): every
 * parameter but `signature` as key=value (array values joined with ","), sorted, concatenated
 * without separators, HMAC-SHA256 with the app secret, hex. Computed here, not by the app.
 * A repeated parameter (an array) goes into the URL once per value, as a browser sends it.
 */
export function signedProxyQuery(params: Record<string, string | string[]>, secret = TEST_SHOPIFY_SECRET): string {
  const message = Object.keys(params)
    .sort()
    .map((k) => {
      const v = params[k]!;
      return `${k}=${Array.isArray(v) ? v.join(",") : v}`;
    })
    .join("");
  const signature = crypto.createHmac("sha256", secret).update(message).digest("hex");
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) query.append(k, one);
  query.append("signature", signature);
  return query.toString();
}

export const nowSeconds = () => String(Math.floor(Date.now() / 1000));
