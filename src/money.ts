/** Decimal money without floats: Shopify's decimal strings to integer minor units and back. */
import { code as iso4217 } from "currency-codes";
import { AppError } from "./errors";

/** A plain decimal as Shopify writes amounts ("12", "12.5", "-3.20"); no exponent, no separators. */
export const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** An amount that is not a plain decimal (e.g. "1e3" or "12,50"): the payload cannot be read. */
export class InvalidAmountError extends AppError {
  readonly code = "invalid_amount";
  readonly name = "InvalidAmountError";
  constructor(readonly amount: string) {
    super(`not a decimal amount: ${amount}`);
  }
}

/**
 * Digits after the dot for a currency, from ISO 4217 (the currency-codes package): JPY 0, USD 2,
 * KWD and BHD 3. Not Node's locale data, which gives HUF, IDR and COP 0 where ISO 4217 says 2.
 * An unknown code counts 2, as most currencies do.
 */
export function currencyDecimals(currency: string): number {
  return iso4217(currency)?.digits ?? 2;
}

/** "12.5" with 2 decimals -> 1250n. Throws InvalidAmountError on anything but a plain decimal string or number. */
export function toMinor(amount: string | number | null | undefined, decimals: number): bigint {
  const text = amount === null || amount === undefined || amount === "" ? "0" : String(amount).trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new InvalidAmountError(text);
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
