import type { SubscriberView } from "../admin-views";

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, a comma or a line break, quotes doubled.
 * A cell a spreadsheet would read as a formula (=, +, -, @, a tab or a carriage return first: OWASP's
 * list) gets a leading apostrophe, so a uuid or email a visitor chose cannot run in the merchant's
 * spreadsheet; a phone's "+" is kept readable after it.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const COLUMNS: [string, (s: SubscriberView) => string | number | boolean | null][] = [
  ["uuid", (s) => s.uuid],
  ["customer_id", (s) => s.customerId],
  ["email", (s) => s.email],
  ["phone", (s) => s.phone],
  ["source", (s) => s.source],
  ["first_opt_in", (s) => s.firstOptInAt.toISOString()],
  ["last_opt_in", (s) => s.lastOptInAt.toISOString()],
  ["opt_in_page", (s) => s.optInPage],
  ["window_open", (s) => s.windowOpen],
  ["messages_sent", (s) => s.messages.sent],
  ["messages_total", (s) => s.messages.total],
];

/** The subscribers as a CSV file: a header row, then one row each, lines ending CRLF. */
export function subscribersCsv(subscribers: SubscriberView[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(","), ...subscribers.map((s) => COLUMNS.map(([, cell]) => csvCell(cell(s))).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
