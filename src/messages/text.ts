/** Text helpers for message bodies: placeholders, and fitting texts to JoinChat's limits. */

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const ELLIPSIS = "…";

/**
 * Cuts `text` to at most `max` UTF-16 units (how LIMITS counts) at a grapheme boundary, ending
 * with "…" when it cut: never half an emoji, a surrogate pair or a letter with its accents.
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const budget = max - ELLIPSIS.length;
  let out = "";
  for (const { segment } of segmenter.segment(text)) {
    if (out.length + segment.length > budget) break;
    out += segment;
  }
  return out.trimEnd() + ELLIPSIS;
}

/** Replaces `{{ name }}` placeholders; unknown or missing values become empty text. */
export function renderTemplate(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/gi, (_, name: string) => values[name] ?? "");
}
