import fc from "fast-check";
import { fitText, renderTemplate } from "../../src/messages/text";

const graphemes = (s: string) => Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(s), (g) => g.segment);
const hasLoneSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

const FAMILY = "👨‍👩‍👧‍👦"; // man ZWJ woman ZWJ girl ZWJ boy: 11 UTF-16 units, one grapheme
const E_ACUTE = "e\u0301"; // e + combining acute accent: 2 units, one grapheme

describe("fitText", () => {
  it("returns a text at or under the limit unchanged", () => {
    expect(fitText("hello", 5)).toBe("hello");
    expect(fitText("hello", 6)).toBe("hello");
    expect(fitText("", 0)).toBe("");
  });

  it("cuts with an ellipsis that counts toward the limit", () => {
    expect(fitText("abcdefghij", 5)).toBe("abcd…");
  });

  it("drops the spaces before the ellipsis", () => {
    expect(fitText("Hello world again", 7)).toBe("Hello…");
  });

  it("returns only the ellipsis for a limit of 1 and nothing for a limit of 0", () => {
    expect(fitText("abc", 1)).toBe("…");
    expect(fitText("abc", 0)).toBe("");
  });

  it("never splits a surrogate pair: 😀 is 2 units, so a budget of 5 keeps two of them", () => {
    expect(fitText("😀😀😀😀", 6)).toBe("😀😀…");
    expect(fitText("😀😀😀😀", 5)).toBe("😀😀…");
    expect(fitText("😀😀😀😀", 4)).toBe("😀…");
  });

  it("keeps a letter with its combining accent together", () => {
    expect(fitText(E_ACUTE.repeat(5), 6)).toBe(`${E_ACUTE}${E_ACUTE}…`);
    expect(fitText(E_ACUTE.repeat(5), 4)).toBe(`${E_ACUTE}…`);
  });

  it("keeps a letter with several stacked combining marks together", () => {
    const stacked = "a\u0300\u0301\u0302"; // 4 units, one grapheme
    expect(fitText(`${stacked}${stacked}b`, 8)).toBe(`${stacked}…`);
  });

  it("keeps a ZWJ family emoji whole when it fits before the ellipsis", () => {
    // "ab" + family = 13 units, + "…" = 14.
    expect(fitText(`ab${FAMILY}cd`, 14)).toBe(`ab${FAMILY}…`);
  });

  it("leaves a ZWJ family emoji out entirely when one unit is missing", () => {
    expect(fitText(`ab${FAMILY}cd`, 13)).toBe("ab…");
    expect(fitText(`ab${FAMILY}cd`, 3)).toBe("ab…");
  });

  it("keeps flags and skin-tone emoji whole", () => {
    expect(fitText("🇭🇰🇯🇵", 7)).toBe("🇭🇰…"); // each flag is two regional indicators, 4 units
    expect(fitText("👍🏽👍🏽", 7)).toBe("👍🏽…"); // thumbs up + skin tone, 4 units
  });

  it("cuts CJK text by characters", () => {
    expect(fitText("測試商品名稱很長", 5)).toBe("測試商品…");
  });

  it("counts a CJK character outside the BMP as 2 units and never halves it", () => {
    expect(fitText("𠮷野家𠮷野家", 4)).toBe("𠮷野…");
    expect(fitText("𠮷野家𠮷野家", 3)).toBe("𠮷…");
  });

  it("for any text and limit: fits the limit, ends in … only when it cut, and keeps whole graphemes from the start", () => {
    const piece = fc.constantFrom("a", " ", "測", "𠮷", "😀", E_ACUTE, FAMILY, "🇭🇰", "👍🏽", "a\u0300\u0301");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 120 }), (pieces, max) => {
        const text = pieces.join("");
        const out = fitText(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(hasLoneSurrogate(out)).toBe(false);
        if (text.length <= max) return expect(out).toBe(text);
        expect(out.endsWith("…")).toBe(true);
        const kept = out.slice(0, -1);
        const keptGraphemes = graphemes(kept);
        expect(keptGraphemes).toEqual(graphemes(text).slice(0, keptGraphemes.length));
      }),
      { numRuns: 500 },
    );
  });
});

describe("renderTemplate", () => {
  it("fills placeholders, with or without spaces inside the braces", () => {
    expect(renderTemplate("Hi {{first_name}}, welcome to {{ shop_name }}{{  mark}}", { first_name: "Alan", shop_name: "Demo", mark: "!" })).toBe("Hi Alan, welcome to Demo!");
  });

  it("fills every occurrence of a placeholder", () => {
    expect(renderTemplate("{{a}}-{{a}}-{{ a }}", { a: "x" })).toBe("x-x-x");
  });

  it("empties unknown and undefined placeholders", () => {
    expect(renderTemplate("[{{nope}}][{{missing}}]", { missing: undefined })).toBe("[][]");
  });

  it("empties placeholders whose names are not plain identifiers", () => {
    expect(renderTemplate("[{{first-name}}][{{ shop.name }}][{{}}]", { "first-name": "A" })).toBe("[A][][]");
  });

  it("empties placeholders named like Object.prototype members instead of printing them", () => {
    expect(renderTemplate("[{{constructor}}][{{__proto__}}][{{toString}}][{{hasOwnProperty}}]", {})).toBe("[][][][]");
  });

  it("leaves single braces alone and does not re-render placeholders inside values", () => {
    expect(renderTemplate("{code} {{a}}", { a: "{{b}}", b: "no" })).toBe("{code} {{b}}");
  });

  it("keeps emoji and CJK in values as they are", () => {
    expect(renderTemplate("{{first_name}}，欢迎 {{e}}", { first_name: "小明", e: FAMILY })).toBe(`小明，欢迎 ${FAMILY}`);
  });
});

describe("renderFitted", () => {
  const { renderFitted } = jest.requireActual<typeof import("../../src/messages/text")>("../../src/messages/text");
  it("cuts the longest shrinkable values first and keeps the others whole", () => {
    const out = renderFitted("Hi {{name}} of {{shop}}, code {{code}}!", { name: "N".repeat(100), shop: "S".repeat(30), code: "CODE-123" }, 60, ["name", "shop"]);
    expect(out.length).toBeLessThanOrEqual(60);
    expect(out).toContain("CODE-123");
    expect(out.endsWith("!")).toBe(true);
    expect(out).toMatch(/N…/);
  });
  it("returns the text as it is when it fits", () => {
    expect(renderFitted("Hi {{name}}", { name: "Alan" }, 640, ["name"])).toBe("Hi Alan");
  });
  it("cuts the whole only when the template alone is too long", () => {
    const out = renderFitted("x".repeat(700) + "{{code}}", { code: "C" }, 640, ["name"]);
    expect(out.length).toBe(640);
    expect(out.endsWith("…")).toBe(true);
  });
});
