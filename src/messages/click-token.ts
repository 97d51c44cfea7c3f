import crypto from "node:crypto";
import { AppError } from "../errors";

/**
 * The token of a tracked link (GET /c/<token>): `<delivery id>.<link>.<signature>`, the signature
 * the first 128 bits of HMAC-SHA256 over both under the app's secret, base64url. About 50
 * characters, so a button's URL stays short; it names a message and a link in it, never a target.
 */
export class InvalidClickTokenError extends AppError {
  readonly code = "click_token";
  constructor() {
    super("this link is not one the app made: its signature does not match");
  }
}

const SIGNATURE_CHARS = 22;
const TOKEN = /^([A-Za-z0-9_-]{1,64})\.(\d{1,3})\.([A-Za-z0-9_-]{22})$/;

function signatureOf(secret: string, deliveryId: string, link: number): string {
  return crypto.createHmac("sha256", secret).update(`click\n${deliveryId}\n${link}`).digest("base64url").slice(0, SIGNATURE_CHARS);
}

export function clickToken(secret: string, deliveryId: string, link: number): string {
  return `${deliveryId}.${link}.${signatureOf(secret, deliveryId, link)}`;
}

/** The message and link a token names; InvalidClickTokenError when it is malformed or its signature does not match (constant time). */
export function readClickToken(secret: string, token: string): { deliveryId: string; link: number } {
  const m = TOKEN.exec(token);
  if (!m) throw new InvalidClickTokenError();
  const [, deliveryId, linkText, given] = m as unknown as [string, string, string, string];
  const link = Number(linkText);
  const expected = Buffer.from(signatureOf(secret, deliveryId, link));
  if (!crypto.timingSafeEqual(expected, Buffer.from(given))) throw new InvalidClickTokenError();
  return { deliveryId, link };
}

/** The address a tracked link's button carries: the app's own domain, the one JoinChat's allow-list needs for it. */
export function clickUrl(appUrl: string, secret: string, deliveryId: string, link: number): string {
  return `${appUrl.replace(/\/+$/, "")}/c/${clickToken(secret, deliveryId, link)}`;
}
