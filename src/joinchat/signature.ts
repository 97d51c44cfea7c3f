import crypto from "node:crypto";

/** JoinChat's request signature: base64(HMAC-SHA256(secret, the exact body bytes)). */
export function signBody(body: Buffer | string, secret: string): string {
  return crypto.createHmac("sha256", secret).update(body).digest("base64");
}

/** Constant-time check of an `x-joinchat-signature` header against the body bytes. */
export function isValidSignature(body: Buffer | string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
