/** Decimal money without floats: Shopify's decimal strings to integer minor units and back. */

/** Digits after the dot for a currency (JPY 0, USD 2, KWD 3), from the runtime's ISO 4217 data. */
export function currencyDecimals(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "12.5" with 2 decimals -> 1250n. Throws on anything but a plain decimal string or number. */
export function toMinor(amount: string | number | null | undefined, decimals: number): bigint {
  const text = amount === null || amount === undefined || amount === "" ? "0" : String(amount);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal amount: ${text}`);
  const [, sign, whole, frac = ""] = m;
  // Round half up on the first dropped digit; Shopify's amounts already have the currency's decimals.
  const kept = (frac + "0".repeat(decimals)).slice(0, decimals);
  let minor = BigInt(whole! + kept);
  if ((frac[decimals] ?? "0") >= "5") minor += 1n;
  return sign === "-" ? -minor : minor;
}

/** 1250n with 2 decimals -> "12.50". */
export function fromMinor(minor: bigint, decimals: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(decimals + 1, "0");
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

/** Normalises a Shopify amount to the currency's decimals: "394.0" HKD -> "394.00". */
export function money(amount: string | number | null | undefined, currency: string): string {
  const d = currencyDecimals(currency);
  return fromMinor(toMinor(amount, d), d);
}
