/**
 * A URL as a message may carry it: absolute http(s), percent-encoded (spaces, non-ASCII), a
 * protocol-relative one (`//cdn.shopify.com/...`, as some payloads give images) made https. Null
 * for anything else: an optional part with a bad URL is left out rather than costing the message.
 */
export function webUrl(raw: string | null | undefined): string | null {
  const text = raw?.trim();
  if (!text) return null;
  const absolute = text.startsWith("//") ? `https:${text}` : text;
  if (!/^https?:\/\//i.test(absolute)) return null;
  try {
    const url = new URL(absolute);
    return url.hostname ? url.href : null;
  } catch {
    return null;
  }
}
