import fc from "fast-check";
import { isJsonObject } from "../../src/http/json-object";
import { fixture } from "../helpers/webhooks";

/** What the webhook ingress accepted before: the text decoded, JSON.parse, an object at the top. */
function parsesToObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v);
  } catch {
    return false;
  }
}

const bytes = (text: string) => Buffer.from(text, "utf8");

describe("isJsonObject: a JSON object checked on its bytes without building it", () => {
  it("accepts every real webhook payload", () => {
    for (const name of ["orders-create.json", "orders-create-2.json", "orders-create-3.json", "checkouts-create.json", "customers-create.json"]) {
      expect(isJsonObject(bytes(fixture(name)))).toBe(true);
      expect(isJsonObject(bytes(JSON.stringify(JSON.parse(fixture(name)))))).toBe(true);
    }
  });

  it.each([
    ["{}", true],
    [" \t\r\n{ } \n", true],
    ['{"a":[1,-0,0.5,1e5,1E+5,-2.5e-3,true,false,null,"x",{},[]]}', true],
    ['{"s":"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00 \\ud800"}', true],
    ['{"測試":"😀 é"}', true],
    ["", false],
    ["   ", false],
    ["[]", false],
    ["null", false],
    ['"text"', false],
    ["1", false],
    ["{", false],
    ['{"a":1', false],
    ['{"a":1}}', false],
    ['{"a":1} {}', false],
    ['{"a":1,}', false],
    ['{"a":[1,]}', false],
    ['{,"a":1}', false],
    ['{"a" 1}', false],
    ["{'a':1}", false],
    ["{a:1}", false],
    ['{"a":01}', false],
    ['{"a":1.}', false],
    ['{"a":.5}', false],
    ['{"a":+1}', false],
    ['{"a":1e}', false],
    ['{"a":-}', false],
    ['{"a":NaN}', false],
    ['{"a":Infinity}', false],
    ['{"a":tru}', false],
    ['{"a":nul}', false],
    ['{"a":"\\x41"}', false],
    ['{"a":"\\u12G4"}', false],
    ['{"a":"\\u12"}', false],
    ['{"a":"tab\there"}', false],
    ['{"a":"line\nbreak"}', false],
    ['{"a":"unterminated}', false],
    ['{"a":"x\\"}', false],
    ["\uFEFF{}", false],
    ['{"a":1}\u00a0', false],
  ])("%j -> %s, as JSON.parse decides", (text, expected) => {
    expect(parsesToObject(text)).toBe(expected);
    expect(isJsonObject(bytes(text))).toBe(expected);
  });

  it("checks nesting 100,000 deep without running out of stack", () => {
    const deep = (open: number, close: number) => bytes('{"deep":' + "[".repeat(open) + "]".repeat(close) + "}");
    expect(isJsonObject(deep(100_000, 100_000))).toBe(true);
    expect(isJsonObject(deep(100_000, 99_999))).toBe(false);
    expect(isJsonObject(deep(99_999, 100_000))).toBe(false);
  });

  it("refuses bytes that are not well-formed UTF-8, which decoding would have replaced silently", () => {
    const wrap = (...inner: number[]) => Buffer.concat([bytes('{"a":"'), Buffer.from(inner), bytes('"}')]);
    // Well-formed: 2, 3 and 4 bytes, the edges of each range.
    for (const ok of [
      [0xc2, 0x80],
      [0xdf, 0xbf],
      [0xe0, 0xa0, 0x80],
      [0xed, 0x9f, 0xbf],
      [0xee, 0x80, 0x80],
      [0xf0, 0x90, 0x80, 0x80],
      [0xf4, 0x8f, 0xbf, 0xbf],
    ]) {
      expect(isJsonObject(wrap(...ok))).toBe(true);
    }
    const malformed = [
      [0x80], // a lone continuation byte
      [0xc0, 0xaf], // overlong "/"
      [0xc1, 0xbf],
      [0xe0, 0x80, 0xaf], // overlong, three bytes
      [0xed, 0xa0, 0x80], // a UTF-16 surrogate
      [0xf0, 0x80, 0x80, 0xaf], // overlong, four bytes
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0xf5, 0x80, 0x80, 0x80],
      [0xff],
      [0xe2, 0x82], // cut short
      [0xc3, 0x28],
    ];
    for (const bad of malformed) expect(isJsonObject(wrap(...bad))).toBe(false);
    expect(isJsonObject(Buffer.concat([bytes('{"a":"'), Buffer.from([0xe2, 0x82])]))).toBe(false);
  });

  it("agrees with JSON.parse on generated JSON, whole and cut or changed at random", () => {
    const anyJson = fc.tuple(fc.jsonValue(), fc.boolean()).map(([v, pretty]) => JSON.stringify(v, null, pretty ? 1 : 0));
    const piece = fc.constantFrom("", " ", "{", "}", "[", "]", ",", ":", '"', "\\", "-", "0", ".", "e", "1", "\u0001", "n", "é", "😀");
    const changed = fc.tuple(anyJson, fc.nat(), piece, fc.boolean()).map(([text, at, insert, replace]) => {
      const i = text.length === 0 ? 0 : at % text.length;
      return text.slice(0, i) + insert + text.slice(replace ? i + 1 : i);
    });
    fc.assert(
      fc.property(
        fc.oneof(
          anyJson,
          anyJson.map((t) => `{"v":${t}}`),
          changed,
          fc.string({ unit: "binary" }),
        ),
        (text) => {
          expect(isJsonObject(bytes(text))).toBe(parsesToObject(text));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
