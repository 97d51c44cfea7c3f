/**
 * Whether raw bytes are one JSON object (RFC 8259, UTF-8), checked without building it.
 *
 * The webhook ingress must refuse a body that is not a JSON object before acknowledging it, but
 * never needs its contents: the event processor parses the stored payload later. JSON.parse
 * built the whole object graph only to drop it (a third of the ingress's CPU time and most of its
 * garbage with 14 KB orders, bench/README.md); this scan allocates nothing but a small stack.
 *
 * It accepts exactly what JSON.parse accepts for a top-level object, with one deliberate
 * difference: bytes that are not well-formed UTF-8 are refused, where decoding first would have
 * turned them into U+FFFD silently (test/http/json-object.test.ts holds both to that).
 */
export function isJsonObject(b: Uint8Array): boolean {
  const n = b.length;
  let i = skipSpace(b, 0, n);
  if (b[i] !== OPEN_OBJECT) return false;
  // Open containers, innermost last: OPEN_OBJECT or OPEN_ARRAY. An explicit stack, not
  // recursion, so a deeply nested body is refused or accepted, never a stack overflow.
  let stack = new Uint8Array(32);
  let depth = 0;
  // Each turn reads one value at b[i] (after white space), then what may follow it.
  for (;;) {
    i = skipSpace(b, i, n);
    const c = b[i];
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === stack.length) {
        const grown = new Uint8Array(depth * 2);
        grown.set(stack);
        stack = grown;
      }
      stack[depth++] = c;
      i = skipSpace(b, i + 1, n);
      if (b[i] === c + 2) {
        // "{}" or "[]": "}" and "]" are two code points after "{" and "[".
        depth--;
        i++;
      } else {
        if (c === OPEN_OBJECT && (i = member(b, i, n)) < 0) return false;
        continue;
      }
    } else if (c === QUOTE) {
      if ((i = string(b, i, n)) < 0) return false;
    } else if (c === MINUS || isDigit(c)) {
      if ((i = number(b, i, n)) < 0) return false;
    } else if (c === 0x74 /* t */) {
      if (!word(b, i, TRUE)) return false;
      i += 4;
    } else if (c === 0x66 /* f */) {
      if (!word(b, i, FALSE)) return false;
      i += 5;
    } else if (c === 0x6e /* n */) {
      if (!word(b, i, NULL)) return false;
      i += 4;
    } else return false;
    // After a value: a comma, the end of its container, or the end of the body.
    for (;;) {
      i = skipSpace(b, i, n);
      if (depth === 0) return i === n;
      const open = stack[depth - 1]!;
      const d = b[i];
      if (d === COMMA) {
        i = skipSpace(b, i + 1, n);
        if (open === OPEN_OBJECT && (i = member(b, i, n)) < 0) return false;
        break;
      }
      if (d !== open + 2) return false;
      depth--;
      i++;
    }
  }
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];
/** 1 for a byte that stands for itself inside a string: printable ASCII but the quote and backslash. */
const PLAIN = new Uint8Array(256).map((_, c) => (c >= 0x20 && c < 0x80 && c !== QUOTE && c !== BACKSLASH ? 1 : 0));

function skipSpace(b: Uint8Array, i: number, n: number): number {
  while (i < n) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** An object member's key and colon at b[i]; the index of its value (white space skipped), or -1. */
function member(b: Uint8Array, i: number, n: number): number {
  if (b[i] !== QUOTE || (i = string(b, i, n)) < 0) return -1;
  i = skipSpace(b, i, n);
  return b[i] === COLON ? i + 1 : -1;
}

function word(b: Uint8Array, i: number, bytes: number[]): boolean {
  for (let k = 0; k < bytes.length; k++) if (b[i + k] !== bytes[k]) return false;
  return true;
}

const isDigit = (c: number | undefined) => c !== undefined && c >= DIGIT_0 && c <= DIGIT_9;
const isHex = (c: number | undefined) => c !== undefined && ((c >= DIGIT_0 && c <= DIGIT_9) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66));

/** A number at b[i]: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?; the index after it, or -1. */
function number(b: Uint8Array, i: number, n: number): number {
  if (b[i] === MINUS) i++;
  if (b[i] === DIGIT_0) i++;
  else if (isDigit(b[i])) while (i < n && isDigit(b[i])) i++;
  else return -1;
  if (b[i] === DOT) {
    i++;
    if (!isDigit(b[i])) return -1;
    while (i < n && isDigit(b[i])) i++;
  }
  if ((b[i]! | 0x20) === 0x65 /* e or E */) {
    i++;
    if (b[i] === PLUS || b[i] === MINUS) i++;
    if (!isDigit(b[i])) return -1;
    while (i < n && isDigit(b[i])) i++;
  }
  return i;
}

/**
 * A string at b[i] (the opening quote): escapes as JSON allows them, no raw control characters,
 * well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF). The index after
 * the closing quote, or -1.
 */
function string(b: Uint8Array, i: number, n: number): number {
  i++;
  while (i < n) {
    // Most of a payload is plain ASCII inside strings: one table lookup a byte.
    while (i < n && PLAIN[b[i]!] === 1) i++;
    if (i === n) return -1;
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const e = b[i + 1];
      if (e === 0x75 /* u */) {
        if (!(isHex(b[i + 2]) && isHex(b[i + 3]) && isHex(b[i + 4]) && isHex(b[i + 5]))) return -1;
        i += 6;
      } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
      } else return -1;
    } else if (c < 0x20) {
      return -1;
    } else if ((i = utf8(b, i, n)) < 0) return -1;
  }
  return -1;
}

/** One multi-byte UTF-8 sequence at b[i] (Unicode's table 3-7); the index after it, or -1. */
function utf8(b: Uint8Array, i: number, n: number): number {
  const c = b[i]!;
  if (c >= 0xc2 && c <= 0xdf) return cont(b, i + 1, n) ? i + 2 : -1;
  if (c === 0xe0) return cont(b, i + 1, n, 0xa0) && cont(b, i + 2, n) ? i + 3 : -1;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(b, i + 1, n) && cont(b, i + 2, n) ? i + 3 : -1;
  if (c === 0xed) return cont(b, i + 1, n, 0x80, 0x9f) && cont(b, i + 2, n) ? i + 3 : -1;
  if (c === 0xf0) return cont(b, i + 1, n, 0x90) && cont(b, i + 2, n) && cont(b, i + 3, n) ? i + 4 : -1;
  if (c >= 0xf1 && c <= 0xf3) return cont(b, i + 1, n) && cont(b, i + 2, n) && cont(b, i + 3, n) ? i + 4 : -1;
  if (c === 0xf4) return cont(b, i + 1, n, 0x80, 0x8f) && cont(b, i + 2, n) && cont(b, i + 3, n) ? i + 4 : -1;
  return -1;
}

/** Whether b[j] is a continuation byte within lo..hi (the first one after a lead byte may be narrower). */
function cont(b: Uint8Array, j: number, n: number, lo = 0x80, hi = 0xbf): boolean {
  return j < n && b[j]! >= lo && b[j]! <= hi;
}
