/** Text helpers for message bodies: placeholders, and fitting texts to JoinChat's limits. */

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const ELLIPSIS = "…";

/**
 * Cuts `text` to at most `max` UTF-16 units (how LIMITS counts) at a grapheme boundary, ending
 * with "…" when it cut: never half an emoji, a surrogate pair or a letter with its accents.
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  // Below the ellipsis' own length nothing fits, not even the mark that says "cut".
  if (max < ELLIPSIS.length) return "";
  const budget = max - ELLIPSIS.length;
  let out = "";
  for (const { segment } of segmenter.segment(text)) {
    if (out.length + segment.length > budget) break;
    out += segment;
  }
  return out.trimEnd() + ELLIPSIS;
}

/**
 * Replaces `{{ name }}` placeholders; unknown or missing values become empty text. Templates are
 * shop-editable, so only the values' own keys count: `{{constructor}}` must not print a function.
 */
export function renderTemplate(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    return typeof value === "string" ? value : "";
  });
}
