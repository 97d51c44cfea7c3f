/**
 * A JSON string, or an integer of 16 or more digits outside one (a whole number token: not part
 * of a decimal or exponent). Strings are matched whole, so digits inside them are never visited.
 */
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![.\deE])/g;

/**
 * Parses a Shopify payload keeping ids exact: an integer beyond 2^53 (Shopify sends some, e.g.
 * checkout and customer ids) becomes its decimal string instead of a rounded number. Every
 * other number is a plain number. Code reading ids always goes through `String(...)`.
 *
 * JSON.parse after quoting the long integers: a third of the time of a lossless parser
 * (66 µs against 211 µs for a 14 KB order), and most payloads skip the quoting altogether.
 */
export function parseShopifyJson(text: string): unknown {
  if (!hasSixteenDigitRun(text)) return JSON.parse(text);
  return JSON.parse(text.replace(STRING_OR_LONG_INTEGER, (m) => (m[0] === '"' || Number.isSafeInteger(Number(m)) ? m : `"${m}"`)));
}

const isDigitCode = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Whether the text holds 16 digits in a row: what `/\d{16}/.test` answers, in a fifth of its time
 * on a 14 KB order (it was a quarter of parseShopifyJson's). Any run of 16 covers exactly one
 * index of the form 16k + 15, so only those are looked at, and a digit there is measured both ways.
 */
export function hasSixteenDigitRun(text: string): boolean {
  const n = text.length;
  for (let i = 15; i < n; i += 16) {
    if (!isDigitCode(text.charCodeAt(i))) continue;
    let start = i;
    while (start > 0 && isDigitCode(text.charCodeAt(start - 1))) start--;
    let end = i + 1;
    while (end < n && end - start < 16 && isDigitCode(text.charCodeAt(end))) end++;
    if (end - start >= 16) return true;
  }
  return false;
}
