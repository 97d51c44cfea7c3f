/**
 * CSV as RFC 4180 writes it (CRLF rows, a cell with a comma, quote or line break quoted, quotes
 * doubled), with a BOM so spreadsheet programs read it as UTF-8. A text cell that a spreadsheet
 * would run as a formula (starting with =, +, -, @, a tab or a carriage return: a product title
 * or a reason quoting a customer's input) is written with a leading apostrophe, as OWASP advises;
 * numbers and booleans are written as they are.
 */
export type CsvCell = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return "\uFEFF" + [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
