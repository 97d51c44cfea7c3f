import fc from "fast-check";
import { isSafeNumber, parse } from "lossless-json";
import { hasSixteenDigitRun, parseShopifyJson } from "../../src/shopify/json";
import { fixture } from "../helpers/webhooks";

/** What the payload means, read by a lossless parser: unsafe integers as their digits. */
const lossless = (text: string) => parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : digits));

describe("Shopify payloads parsed with ids kept exact", () => {
  it("reads every fixture exactly as a lossless parser does", () => {
    for (const name of ["orders-create.json", "orders-create-2.json", "orders-create-3.json", "checkouts-create.json", "customers-create.json"]) {
      expect(parseShopifyJson(fixture(name))).toEqual(lossless(fixture(name)));
    }
    expect((parseShopifyJson(fixture("checkouts-create.json")) as { customer: { id: unknown } }).customer.id).toBe("603851970716743426");
  });

  it.each([
    ['{"id": 12345678901234567890}', { id: "12345678901234567890" }],
    ['{"id": -12345678901234567890}', { id: "-12345678901234567890" }],
    ['{"id": 9007199254740991}', { id: 9007199254740991 }],
    ['{"id": 9007199254740993}', { id: "9007199254740993" }],
    ['{"note": "order 12345678901234567890 \\" 98765432109876543210"}', { note: 'order 12345678901234567890 " 98765432109876543210' }],
    // Floats keep what a float keeps: the literals say what JSON.parse makes of the text.
    // eslint-disable-next-line no-loss-of-precision
    ['{"w": 0.12345678901234567, "e": 1.5e300, "x": 12345678901234567.5}', { w: 0.12345678901234567, e: 1.5e300, x: 12345678901234567.5 }],
    ['[1234567890123456789, "a\\\\", 1234567890123456789]', ["1234567890123456789", "a\\", "1234567890123456789"]],
  ])("parses %s", (text, value) => {
    expect(parseShopifyJson(text)).toEqual(value);
  });

  it("refuses what is not JSON, as JSON.parse does", () => {
    expect(() => parseShopifyJson('{"id": 12345678901234567890')).toThrow(SyntaxError);
    expect(() => parseShopifyJson('{"a": "12345678901234567890}')).toThrow(SyntaxError);
  });

  it("makes text well-formed: a lone surrogate (valid JSON, invalid Unicode) anywhere becomes U+FFFD, a pair stays", () => {
    const payload = parseShopifyJson(String.raw`{"email":"a\ud800@x.com","lines":[{"title":"\uDC00 \ud83d\ude00"}],"deep":[[["\udbff"]]]}`);
    expect(payload).toEqual({ email: "a\ufffd@x.com", lines: [{ title: "\ufffd \u{1f600}" }], deep: [[["\ufffd"]]] });
    expect(parseShopifyJson(String.raw`"\ud800"`)).toBe("\ufffd");
  });

  it("agrees with a lossless parser on generated payloads mixing long integers, strings and numbers", () => {
    const value = fc.oneof(
      fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }).map((n) => n.toString()),
      fc.string({ unit: "grapheme" }).map((s) => JSON.stringify(s)),
      // Decimals stay plain numbers (a lossless parser would keep huge exponents as text; Shopify's money is strings anyway).
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .map((d) => JSON.stringify(d))
        .filter((d) => isSafeNumber(d)),
      fc.constantFrom("true", "null", '"\\"1234567890123456789\\""'),
    );
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string(), value), { maxLength: 12, selector: ([k]) => k }), (pairs) => {
        const members = [`"list ": [${pairs.map(([, v]) => v).join(",")}]`, ...pairs.map(([k, v]) => `${JSON.stringify(k)}: ${v}`)];
        const text = `{${members.join(", ")}}`;
        expect(parseShopifyJson(text)).toEqual(lossless(text));
      }),
      { numRuns: 500 },
    );
  });

  it("finds a run of 16 digits exactly where /\\d{16}/ does, wherever it starts", () => {
    const text = fc.array(fc.oneof(fc.stringMatching(/^[0-9]{1,20}$/), fc.constantFrom("a", "-", ".", '"', " ", "é")), { maxLength: 60 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (t) => expect(hasSixteenDigitRun(t)).toBe(/\d{16}/.test(t))),
      { numRuns: 2000 },
    );
    for (let at = 0; at < 40; at++) {
      expect(hasSixteenDigitRun(`${"x".repeat(at)}${"7".repeat(16)}`)).toBe(true);
      expect(hasSixteenDigitRun(`${"x".repeat(at)}${"7".repeat(15)}x${"7".repeat(15)}`)).toBe(false);
    }
  });
});
