import { z } from "zod";

/**
 * What a JoinChat uuid may look like wherever one enters the app (the app proxy, a cart
 * attribute, the CLI). JoinChat does not document its format; its uuids are opaque ids from a
 * cookie, so this allows the characters of every id scheme in use, with room to spare, and
 * nothing that could smuggle markup or separators into a log line or a recipient key.
 */
export const JOINCHAT_UUID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export const joinchatUuidSchema = z.string().regex(JOINCHAT_UUID_PATTERN, { message: "uuid must be 1-128 letters, digits, - or _" });
