/**
 * Calendar days in a shop's time zone (an IANA name, Shopify's `shop.ianaTimezone`): Results count
 * by the day the merchant lives in, not by UTC. Days are "YYYY-MM-DD"; a day starts at the local
 * midnight, found through Intl (the offset of that moment, checked again across a DST change).
 */

const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formats.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone (a name Shopify sends, "UTC", "Asia/Kolkata"...). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatIn(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallClock(at: number, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const parts = Object.fromEntries(
    formatIn(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), min: Number(parts.minute), s: Number(parts.second) };
}

/** The zone's offset from UTC at `at`, in ms (east positive). */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(at / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The local day of an instant. */
export function localDay(at: Date, timeZone: string): string {
  const w = wallClock(at.getTime(), timeZone);
  return `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}`;
}

/** The instant the local day starts (its midnight; the first moment after it where a DST change skips midnight). */
export function startOfDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  const guess = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(guess, timeZone));
}

/** The day after (calendar arithmetic, zone-free). */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) days.push(d);
  return days;
}

/** A range of local days, both ends included, in a zone; `start` and `end` bound it as instants (end excluded). */
export interface DayRange {
  from: string;
  to: string;
  timeZone: string;
}

export function rangeBounds(r: DayRange): { start: Date; end: Date } {
  return { start: startOfDay(r.from, r.timeZone), end: startOfDay(nextDay(r.to), r.timeZone) };
}

/** The last `days` local days, today (at `now`) the last. */
export function lastDays(now: Date, days: number, timeZone: string): DayRange {
  const to = localDay(now, timeZone);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to, timeZone };
}

/** The local date and time of an instant, "YYYY-MM-DD HH:MM", as an export shows it. */
export function localDateTime(at: Date, timeZone: string): string {
  const w = wallClock(at.getTime(), timeZone);
  return `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)} ${pad(w.h)}:${pad(w.min)}`;
}
