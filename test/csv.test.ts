import { csvCell, toCsv } from "../src/csv";

describe("CSV cells", () => {
  it("quotes a cell with a comma, quote or line break, doubling its quotes, and leaves plain ones bare", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\r")).toBe('"cr\r"');
    expect(csvCell(null)).toBe("");
    expect(csvCell("Café ✓")).toBe("Café ✓");
  });

  it("writes text a spreadsheet would run as a formula with a leading apostrophe, and numbers as they are", () => {
    for (const formula of ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"]) expect(csvCell(formula).replace(/^"/, "").startsWith("'")).toBe(true);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell("439.00")).toBe("439.00");
  });

  it("starts with a BOM and ends every row with CRLF", () => {
    expect(toCsv(["a", "b"], [["1", 2]])).toBe("\uFEFFa,b\r\n1,2\r\n");
  });
});
