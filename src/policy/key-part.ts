import crypto from "node:crypto";

/** A payload's value in a key as it is up to this length; past it (a 3,000-character tracking number), cut. */
const LONGEST_PART = 200;

/**
 * A key's part from a payload, bounded: a longer value becomes its first 100 characters and its
 * sha256, so every key stays within what an index takes (PostgreSQL: 2,704 bytes a row) and
 * still tells values apart. Short values, all real ones, stay as they are, and so do their keys.
 * Bounding twice changes nothing, so a part read back from a key builds the same key again.
 */
export function keyPart(value: string): string {
  if (value.length <= LONGEST_PART) return value;
  return `${value.slice(0, 100)}~${crypto.createHash("sha256").update(value).digest("hex")}`;
}
