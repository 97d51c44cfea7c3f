import type { Message } from "./schema";

/**
 * The domains a message links to (URL buttons, default actions, fallback URLs, a receipt's
 * order_url): each must be on the bot's allow-list in JoinChat, which the app cannot check, so
 * the admin lists them for the merchant to copy. Images are not links and need no allow-listing.
 */
export function linkDomainsOf(message: Message): string[] {
  const urls: string[] = [];
  const button = (b: { type: string; url?: string; fallback_url?: string }) => {
    if (b.url) urls.push(b.url);
    if (b.fallback_url) urls.push(b.fallback_url);
  };
  if ("buttons" in message) message.buttons?.forEach(button);
  if (message.template_type === "generic" || message.template_type === "list") {
    for (const e of message.elements) {
      if (e.default_action) button(e.default_action);
      e.buttons?.forEach(button);
    }
  }
  if (message.template_type === "receipt" && message.order_url) urls.push(message.order_url);
  const hosts = urls.flatMap((u) => {
    try {
      return [new URL(u).hostname];
    } catch {
      return [];
    }
  });
  return [...new Set(hosts)];
}
