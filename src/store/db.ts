import fs from "node:fs";
import path from "node:path";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../generated/postgresql/client";
import { providerOf, sqliteFileOf, type Provider } from "../config/database-url";
import { startSqliteWriter, type Statement } from "./sqlite-writer";
import { sqliteReader } from "./sqlite-reader";
import { releasingFailedEnds } from "./pg-transactions";
import { createLogger, type Logger } from "../log";

/**
 * The Prisma client. Both generated clients share one data model (prisma/models.prisma), so the
 * SQLite client's type stands for both; the few raw SQL statements branch on `provider`.
 */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Plain SQL on the same database, for the two statements that move whole webhook payloads
 * (storing and claiming events). Prisma's query engine costs about 1 ms per 14 KB row there
 * (measured: 1,065 rows/s through createMany against tens of thousands through the driver), which
 * no group commit can hide. Placeholders are "?" for SQLite and "$n" for PostgreSQL.
 */
export interface Sql {
  all<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]>;
}

/** Like Sql.all, off the event loop on SQLite (the writer thread); the same pool on PostgreSQL. */
export type Write = Sql["all"];

export type { Statement } from "./sqlite-writer";
/** Several statements in one transaction, where Write runs; resolves to each one's rows. */
export type WriteAll = (statements: Statement[]) => Promise<Record<string, unknown>[][]>;
/**
 * SQLite only, on the writer thread: two one-row statements run for each pair of parameter lists,
 * all in one transaction, the second only if the first changed a row; resolves to whether each
 * first did. One-row statements stay prepared across batches, where a multi-row VALUES list of a
 * new length would be prepared again. Buffers among the parameters are moved to the thread, not
 * copied: the caller must not use them afterwards.
 */
export type WritePairs = (first: string, then: string, rows: [unknown[], unknown[]][]) => Promise<boolean[]>;

export interface Database {
  db: Db;
  provider: Provider;
  sql: Sql;
  /**
   * Plain reads, for those made for every event or message: on SQLite the event loop's own
   * connection without Prisma (sqlite-reader.ts), beside the writer; the same pool on PostgreSQL.
   */
  read: Sql["all"];
  /**
   * Statements that carry or touch whole webhook payloads (storing, claiming and finishing events):
   * on SQLite a writer thread with its own connection runs them one after another, on the other
   * core, so the event loop neither copies payloads into SQLite nor waits for its write lock.
   */
  write: Write;
  writeAll: WriteAll;
  /** Null on PostgreSQL. */
  writePairs: WritePairs | null;
  /**
   * Resolves when the database answers and could be written now; rejects with the reason
   * otherwise. On SQLite it asks the writer thread, the connection that writes, to take the
   * write lock (waiting at most `busyMs`) and commit a one-page write (a full disk fails only there).
   */
  probeWrite(busyMs: number): Promise<void>;
  /** A Prisma interactive transaction; on SQLite the writer thread runs it alone (sqlite-writer.ts). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * An error in one line, in the database's own words where Prisma wraps them (its message opens
 * with the call site and the code around it): what an event's note and a log line keep.
 */
export function errorLine(err: unknown): string {
  const e = err as { message?: string; meta?: { driverAdapterError?: { cause?: { originalMessage?: string } } } };
  const said = e.meta?.driverAdapterError?.cause?.originalMessage;
  if (said) return said;
  const lines = String(e.message ?? err)
    .split("\n")
    .filter((l) => l.trim() !== "");
  return (e.message?.startsWith("\nInvalid `") ? lines.at(-1) : lines[0]) ?? "";
}

/** Prisma keeps PostgreSQL DateTime as UTC in `timestamp(3)` (no zone): raw statements do too. */
const pgParam = (v: unknown) => (v instanceof Date ? v.toISOString().replace("Z", "") : v);

export async function openDatabase(url: string, log: Logger = createLogger()): Promise<Database> {
  const provider = providerOf(url);
  if (provider === "sqlite") {
    const file = sqliteFileOf(url);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    const writer = startSqliteWriter(path.resolve(file));
    const reader = sqliteReader(path.resolve(file), writer.write);
    // The event loop's own connection only reads (WAL lets it beside the writer, and a read never
    // waits for the write lock); it must never wait on the event loop, hence no busy timeout.
    const db = new SqliteClient({ adapter: writer.prismaAdapter(new PrismaBetterSQLite3({ url: file, timeout: 0 })) });
    await db.$connect();
    return {
      db,
      provider,
      sql: { all: writer.write },
      read: reader.all,
      write: writer.write,
      writeAll: writer.writeAll,
      writePairs: writer.writePairs,
      probeWrite: writer.probeWrite,
      // The writer thread runs one transaction at a time and holds everything else until it ends.
      transaction: (fn) => db.$transaction(fn, { timeout: 30_000, maxWait: 30_000 }),
      close: async () => {
        reader.close();
        await db.$disconnect();
        await writer.close();
      },
    };
  }
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { Pool, types } = await import("pg");
  // A connection lost while idle (a failover, a restart, a proxy's idle timeout) is an 'error'
  // event: without a listener it would end the process. The pool drops it and opens another on
  // the next query; a statement it was running fails into its caller's retry.
  const lost = (err: Error) => log.warn({ err: err.message }, "database connection lost: the next query opens another");
  const poolOf = (max: number, options: object = {}) => {
    // A server that does not answer (host gone, packets dropped) fails a query in 5 s instead of holding it.
    const p = new Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000, ...options });
    p.on("error", lost);
    // A client in use is the pool's listener's no longer, and pg's own query path listens once: a
    // connection that dies while checked out may emit 'error' where nobody listens, which would end
    // the process. Every client keeps this one for life; its caller sees the failure anyway.
    p.on("connect", (client) => client.on("error", () => {}));
    return p;
  };
  const prismaPool = poolOf(10);
  const db = new PostgresClient({ adapter: releasingFailedEnds(new PrismaPg(prismaPool)) }) as unknown as Db;
  const pool = poolOf(4, {
    // timestamp without time zone holds UTC (Prisma's convention): read it as UTC.
    types: { getTypeParser: (oid: number, format?: string) => (oid === 1114 ? (s: string) => new Date(`${s}Z`) : types.getTypeParser(oid, format as never)) } as never,
  });
  const sql: Sql = { all: async <T>(text: string, params: unknown[]) => (await pool.query(text, params.map(pgParam))).rows as T[] };
  return {
    db,
    provider,
    sql,
    read: sql.all,
    write: sql.all,
    writePairs: null,
    // A read-only server (a standby, a full disk put into read-only) says so here.
    probeWrite: async () => {
      const [row] = await sql.all<{ readOnly: string }>("SELECT current_setting('transaction_read_only') AS \"readOnly\"", []);
      if (row?.readOnly !== "off") throw new Error("database is read-only");
    },
    writeAll: async (statements) => {
      const client = await pool.connect();
      // The pool listens only to its idle clients: this one is ours until released.
      client.on("error", lost);
      let failure: Error | undefined;
      try {
        await client.query("BEGIN");
        const out: Record<string, unknown>[][] = [];
        for (const s of statements) {
          const { rows } = await client.query(s.sql, s.params.map(pgParam));
          if (s.mustReturn && rows.length === 0) throw new Error(s.mustReturn);
          out.push(rows);
        }
        await client.query("COMMIT");
        return out;
      } catch (err) {
        failure = err as Error;
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        // With the error: the pool destroys the client instead of handing out a broken one.
        client.release(failure);
        client.off("error", lost);
      }
    },
    transaction: (fn) => db.$transaction(fn, { timeout: 30_000, maxWait: 30_000 }),
    close: async () => {
      await pool.end();
      await db.$disconnect();
      await prismaPool.end();
    },
  };
}
