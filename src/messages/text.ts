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

/**
 * Renders `template` within `max` UTF-16 units. When the whole is too long, the values named in
 * `shrinkable` (what a customer or carrier typed: names, titles) are cut first, the longest
 * first and each at a grapheme boundary, so a coupon code, order number or tracking number in the
 * same text survives a 600-character first name. Only a template too long by itself is cut whole.
 */
export function renderFitted(template: string, values: Record<string, string | undefined>, max: number, shrinkable: readonly string[]): string {
  const full = renderTemplate(template, values);
  if (full.length <= max) return full;
  const withCap = (cap: number) => {
    const capped = { ...values };
    for (const key of shrinkable) {
      const v = capped[key];
      if (typeof v === "string" && v.length > cap) capped[key] = fitText(v, cap);
    }
    return renderTemplate(template, capped);
  };
  // The largest cap on every shrinkable value that fits: shortens the longest values first.
  let lo = 0;
  let hi = Math.max(0, ...shrinkable.map((k) => values[k]?.length ?? 0));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (withCap(mid).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return fitText(withCap(lo), max);
}
