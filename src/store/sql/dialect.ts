import type { Provider } from "../../config/database-url";
import type { ClaimTime } from "../../clock";

/**
 * What differs between SQLite and PostgreSQL in the app's hand-written statements, chosen once.
 * Each statement (src/store/sql/*.ts) is written once against this; none branches on the provider.
 */
export interface Dialect {
  provider: Provider;
  /** The placeholder of parameter `i` (1-based): "?" (positional) or "$i". */
  placeholder(i: number): string;
  /** Where rows another worker claims must be skipped, not waited for: "FOR UPDATE SKIP LOCKED" (PostgreSQL) or nothing (SQLite runs one writer). */
  lockSkipLocked: string;
  /**
   * `"id" <in> (subquery)`. PostgreSQL may run an IN subquery again for each row it checks, and
   * with SKIP LOCKED each run skips rows the statement itself just locked: ARRAY(...) runs once.
   */
  idIn(subquery: string): string;
  /** Whether the outer statement must check its condition again (PostgreSQL: after waiting on a lock, against the row as another commit left it). */
  recheckAfterLock: boolean;
  /**
   * A column reference the planner must not drive the statement by: SQLite's "+" prefix;
   * `COALESCE(c, c)` on PostgreSQL, which has no such prefix and plans by statistics, wrong for a
   * table that grew since its last ANALYZE (a burst, or a server with autovacuum off): an order's
   * recall lookup then walked the shop's every sent message by (shopDomain, state), 42 ms an
   * order and growing (bench/README.md, issue 27).
   */
  noIndex(column: string): string;
  /**
   * Whether an OR of index ranges is better written as a UNION ALL of the ranges, each read in
   * index order up to the limit: SQLite reads the ranges of an OR whole and sorts them.
   */
  unionForOr: boolean;
  /**
   * The database's clock, `msAgo` (an SQL expression of milliseconds) before now, in the form the
   * DateTime columns hold: one clock for every process, however far theirs drift.
   */
  databaseTime(msAgo: string): string;
  /** A parameter read as a DateTime where nothing else gives its type (a SELECT's column): PostgreSQL would take it for text. */
  timestamp(placeholder: string): string;
}

/** `at` less `msAgo` ms as a statement's parameter or, for the database's clock, as its expression. */
export function timeParam(d: Dialect, v: (value: unknown) => string, at: ClaimTime, msAgo = 0): string {
  return at === "database" ? d.databaseTime(v(msAgo)) : v(new Date(at.getTime() - msAgo));
}

export const DIALECTS: Record<Provider, Dialect> = {
  sqlite: {
    provider: "sqlite",
    placeholder: () => "?",
    lockSkipLocked: "",
    idIn: (subquery) => `"id" IN (${subquery})`,
    recheckAfterLock: false,
    noIndex: (column) => `+${column}`,
    unionForOr: true,
    // Prisma's SQLite DateTime text: "2026-12-06T10:00:00.000+00:00" (%f is seconds with milliseconds).
    databaseTime: (msAgo) => `strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '-' || (${msAgo} / 1000.0) || ' seconds')`,
    timestamp: (placeholder) => placeholder,
  },
  postgresql: {
    provider: "postgresql",
    placeholder: (i) => `$${i}`,
    lockSkipLocked: "FOR UPDATE SKIP LOCKED",
    idIn: (subquery) => `"id" = ANY(ARRAY(${subquery}))`,
    recheckAfterLock: true,
    noIndex: (column) => `COALESCE(${column}, ${column})`,
    unionForOr: false,
    // timestamp(3) without time zone, holding UTC (Prisma's convention).
    databaseTime: (msAgo) => `(timezone('UTC', now()) - ${msAgo}::double precision * interval '1 millisecond')`,
    timestamp: (placeholder) => `CAST(${placeholder} AS timestamp(3))`,
  },
};

/** Parameters added in the order they appear in the text (SQLite's "?" is positional): `v(value)` writes its placeholder. */
export function paramList(d: Dialect): { params: unknown[]; v(value: unknown): string } {
  const params: unknown[] = [];
  return { params, v: (value) => (params.push(value), d.placeholder(params.length)) };
}
