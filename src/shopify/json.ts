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
  const value = hasSixteenDigitRun(text)
    ? JSON.parse(text.replace(STRING_OR_LONG_INTEGER, (m) => (m[0] === '"' || Number.isSafeInteger(Number(m)) ? m : `"${m}"`)))
    : JSON.parse(text);
  return hasSurrogateEscape(text) ? wellFormed(value) : value;
}

/**
 * Every property of a parsed payload (an array's items under their index), visited without
 * recursion: a signed payload may nest 100,000 deep, past what the stack holds.
 */
export function walkJson(root: unknown, visit: (key: string, value: unknown, holder: Record<string, unknown>) => void): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    for (const [key, value] of Object.entries(node)) {
      visit(key, value, node as Record<string, unknown>);
      if (value !== null && typeof value === "object") stack.push(value);
    }
  }
}

/**
 * Lone surrogates ("\ud800": valid JSON, invalid Unicode) replaced by U+FFFD in every string
 * value: PostgreSQL refuses them, and no text the app stores or sends should carry one.
 */
function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return value.toWellFormed();
  walkJson(value, (key, v, holder) => {
    if (typeof v === "string" && !v.isWellFormed()) holder[key] = v.toWellFormed();
  });
  return value;
}

/** Whether the text escapes a surrogate (\uD800 to \uDFFF), the only way JSON text holds a lone one: most payloads skip the walk. */
function hasSurrogateEscape(text: string): boolean {
  for (let i = text.indexOf("\\u"); i !== -1; i = text.indexOf("\\u", i + 2)) {
    const hi = text.charCodeAt(i + 3) | 0x20;
    if ((text.charCodeAt(i + 2) | 0x20) === 0x64 && (hi === 0x38 || hi === 0x39 || (hi >= 0x61 && hi <= 0x66))) return true;
  }
  return false;
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
