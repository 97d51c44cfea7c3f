import crypto from "node:crypto";
import { AppError } from "../errors";

/** A secret cannot be stored or read because ENCRYPTION_KEY is missing or wrong. */
export class EncryptionKeyError extends AppError {
  readonly code = "encryption_key";
  readonly operatorFixable = true;
  readonly name = "EncryptionKeyError";
}

const VERSION = "v1";

function keyFrom(encryptionKey: string | undefined): Buffer {
  if (!encryptionKey) {
    throw new EncryptionKeyError("ENCRYPTION_KEY is not set: set it (e.g. `openssl rand -hex 32`) before storing a JoinChat secret");
  }
  // Any string of 16+ characters works; it is stretched to a 256-bit key, salted per app.
  return crypto.scryptSync(encryptionKey, "joinchat-messenger-shopify/secrets", 32);
}

const keyCache = new Map<string, Buffer>();
function cachedKey(encryptionKey: string | undefined): Buffer {
  const hit = encryptionKey === undefined ? undefined : keyCache.get(encryptionKey);
  if (hit) return hit;
  const key = keyFrom(encryptionKey);
  keyCache.set(encryptionKey!, key);
  return key;
}

/** Whether `value` is what encryptSecret writes (and not a value an older version stored in clear). */
export function isSealed(value: string): boolean {
  return /^v1\.[\w-]+\.[\w-]+\.[\w-]*$/.test(value);
}

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
export function encryptSecret(plain: string, encryptionKey: string | undefined): string {
  const key = cachedKey(encryptionKey);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function decryptSecret(sealed: string, encryptionKey: string | undefined): string {
  const key = cachedKey(encryptionKey);
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || data === undefined) throw new EncryptionKeyError("stored secret is not in a known format");
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new EncryptionKeyError("stored secret cannot be decrypted: ENCRYPTION_KEY differs from the one it was stored with");
  }
}

/** Secrets shorter than this show no characters at all when masked. */
export const MASK_MIN_LENGTH = 16;

/**
 * A secret as the admin shows it: enough to recognise it, never enough to guess it. At most its
 * last 4 characters, and only when they are a quarter of it or less: a short secret shows none.
 */
export function maskSecret(secret: string | null): string {
  return secret !== null && secret.length >= MASK_MIN_LENGTH ? `••••${secret.slice(-4)}` : "••••";
}
