import type { Message } from "./schema";

/**
 * The links of a message that go through the app's click redirect (GET /c/<token>): each URL
 * button's and each default action's `url`, in one fixed order (the message's buttons, then each
 * element's default action and buttons). A token names a link by its place in this order, and
 * the redirect finds it again in the message as stored, so the target is always one the app
 * itself put in the message: never a URL the token carries. A receipt's order_url and a
 * button's fallback_url are not tracked.
 */
type Linked = { type?: string; url?: string };

function linksOf(message: Message): Linked[] {
  const links: Linked[] = [];
  const button = (b: Linked) => {
    if ((b.type === undefined || b.type === "web_url") && b.url) links.push(b);
  };
  if ("buttons" in message) message.buttons?.forEach(button);
  if (message.template_type === "generic" || message.template_type === "list") {
    for (const e of message.elements) {
      if (e.default_action) button(e.default_action);
      e.buttons?.forEach(button);
    }
  }
  return links;
}

/** The target of the message's `link`-th tracked link, null when it has none there. */
export function trackedUrl(message: Message, link: number): string | null {
  return linksOf(message)[link]?.url ?? null;
}

/** A copy of the message with each tracked link's URL replaced by `urlFor(its place)`. */
export function withTrackedLinks(message: Message, urlFor: (link: number) => string): Message {
  const copy = structuredClone(message);
  linksOf(copy).forEach((l, i) => (l.url = urlFor(i)));
  return copy;
}
