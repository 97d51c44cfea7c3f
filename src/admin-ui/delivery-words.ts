// What the delivery log says of a message beyond its reason: the tag it went with, in words.
import type { Delivery } from "./types";

/** A tag as the merchant reads it: POST_PURCHASE_UPDATE -> "post-purchase update". */
const tagName = (tag: string) => tag.toLowerCase().replace(/_/g, " ").replace("post purchase", "post-purchase");

/**
 * The tag a message went with, or would go with: what was sent, never a tag that was only planned
 * (a receipt inside the window goes without the tag it would carry after it).
 */
export function tagWords(d: Pick<Delivery, "state" | "tag" | "automation" | "sentBody">): string {
  const test = d.automation === "manual";
  switch (d.state) {
    case "sent":
      if (d.tag) return `Tag “${tagName(d.tag)}”, past the 24-hour window`;
      return test ? "No tag (a test message)" : "No tag, inside the 24-hour window";
    case "failed":
    case "unknown":
      if (!d.sentBody) return "Nothing sent";
      return d.tag ? `Tried with tag “${tagName(d.tag)}”` : "Tried with no tag";
    case "scheduled":
    case "sending":
      if (test) return "No tag (a test message)";
      return d.tag ? `No tag inside the 24-hour window; tag “${tagName(d.tag)}” after it` : "No tag: goes only inside the 24-hour window";
    default:
      return "Nothing sent";
  }
}
