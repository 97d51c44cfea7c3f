import type { IncomingMessage } from "node:http";

/**
 * The client's address as `hops` trusted proxies in front of the app report it (TRUST_PROXY):
 * the socket's peer, then X-Forwarded-For read from the right, one entry per trusted proxy.
 * Entries further left were written by the client and are never used, so rotating them changes
 * nothing. The same rule as Express's "trust proxy" hop count (req.ip), for the plain handlers.
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const peer = req.socket.remoteAddress ?? "";
  if (hops <= 0) return peer;
  const header = req.headers["x-forwarded-for"];
  if (header === undefined) return peer;
  const forwarded = (Array.isArray(header) ? header.join(",") : header).split(",");
  // Index 0 is the peer, 1 the rightmost forwarded entry, and so on; the furthest there is when fewer.
  const i = Math.min(hops, forwarded.length);
  return forwarded[forwarded.length - i]!.trim() || peer;
}
