import crypto from "node:crypto";
import { AppError } from "../errors";

/** A webhook whose X-Shopify-Hmac-Sha256 is missing or does not match its body. */
export class InvalidSignatureError extends AppError {
  readonly code = "invalid_signature";
  readonly name = "InvalidSignatureError";
}

/**
 * Shopify's webhook signature: base64(HMAC-SHA256(app secret, raw body)), compared in constant
 * time. This is the check `shopify.webhooks.validate` makes, without its request conversion and
 * async WebCrypto round trip, which cost more than half the ingest rate (see bench/README.md);
 * test/shopify/webhook-hmac.test.ts holds it to the library's verdict on the same requests.
 */
export function verifyWebhookHmac(rawBody: Buffer, header: string | undefined, secret: string): void {
  if (!header) throw new InvalidSignatureError("X-Shopify-Hmac-Sha256 header is missing");
  const expected = crypto.createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(header, "base64");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new InvalidSignatureError("X-Shopify-Hmac-Sha256 does not match the body: was it signed with this app's SHOPIFY_API_SECRET?");
  }
}
