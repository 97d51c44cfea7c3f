import type { SubscriberView } from "../admin-views";
import { toCsv, type CsvCell } from "../csv";

const COLUMNS: [string, (s: SubscriberView) => CsvCell][] = [
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

/** The subscribers as a CSV file (src/csv.ts: a header row, then one row each, formulas disarmed). */
export function subscribersCsv(subscribers: SubscriberView[]): string {
  return toCsv(
    COLUMNS.map(([name]) => name),
    subscribers.map((s) => COLUMNS.map(([, cell]) => cell(s))),
  );
}
