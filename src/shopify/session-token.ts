import crypto from "node:crypto";
import type { Config } from "../config/env";

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** The `sub` of a login the app signed itself: such a token is not Shopify's to exchange for an access token. */
export const STANDALONE_SUBJECT = "standalone-admin";

/**
 * A session token of the kind App Bridge hands an embedded app (HS256 with the app's secret,
 * `aud` the API key, `dest` the shop), for a merchant or operator using the admin outside
 * Shopify admin. One verification path then serves both.
 */
export function signSessionToken(config: Config, shop: string, ttlSeconds: number, now = Date.now(), subject = STANDALONE_SUBJECT): string {
  if (!config.SHOPIFY_API_KEY || !config.SHOPIFY_API_SECRET) throw new Error("SHOPIFY_API_KEY and SHOPIFY_API_SECRET must be set to sign admin logins");
  const iat = Math.floor(now / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: config.SHOPIFY_API_KEY,
      sub: subject,
      exp: iat + ttlSeconds,
      nbf: iat - 5,
      iat,
      jti: crypto.randomUUID(),
      sid: crypto.randomUUID(),
    }),
  );
  const signature = b64url(crypto.createHmac("sha256", config.SHOPIFY_API_SECRET).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}

/** The admin's address with a standalone login for `shop`, valid for `hours`. */
export function adminLoginUrl(config: Config, shop: string, hours = 8): string {
  return `${config.appUrl.replace(/\/$/, "")}/admin?token=${signSessionToken(config, shop, Math.round(hours * 3600))}`;
}
