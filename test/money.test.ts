describe("money", () => {
  it("converts without float error, to the currency's decimals", async () => {
    const { money, toMinor, fromMinor, currencyDecimals } = await import("../src/money");
    expect(money("0.1", "USD")).toBe("0.10");
    expect(fromMinor(toMinor("0.1", 2) + toMinor("0.2", 2), 2)).toBe("0.30");
    expect(money("1234.5", "JPY")).toBe("1235");
    expect(currencyDecimals("KWD")).toBe(3);
    expect(money("12.345", "KWD")).toBe("12.345");
    expect(money("-5.5", "HKD")).toBe("-5.50");
    expect(money("99999999999999999.99", "USD")).toBe("99999999999999999.99");
    expect(() => toMinor("1e3", 2)).toThrow();
  });
});
