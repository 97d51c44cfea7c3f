import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type BetterSqlite3 from "better-sqlite3";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../generated/postgresql/client";
import { providerOf, sqliteFileOf, type Provider } from "./database-url";

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

export interface Statement {
  sql: string;
  params: unknown[];
}
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
   * Statements that carry or touch whole webhook payloads (storing, claiming and finishing events):
   * on SQLite a writer thread with its own connection runs them one after another, on the other
   * core, so the event loop neither copies payloads into SQLite nor waits for its write lock.
   */
  write: Write;
  writeAll: WriteAll;
  /** Null on PostgreSQL. */
  writePairs: WritePairs | null;
  /** A Prisma interactive transaction; on SQLite it also holds the write lock (see WriteLock). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * SQLite through one better-sqlite3 connection: a Prisma interactive transaction keeps BEGIN open
 * across awaits, and any statement run on the connection meanwhile joins it. Whatever must not
 * be undone by someone else's rollback (an acknowledged webhook) waits for this lock, which every
 * transaction holds.
 */
class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => {});
    return result;
  }
}

/** Prisma stores SQLite DateTime as ISO text with "+00:00"; raw statements write the same. */
const sqliteParam = (v: unknown) => (v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? Number(v) : v);
const sqliteValue = (v: unknown) => (typeof v === "bigint" ? Number(v) : v);
/** Prisma keeps PostgreSQL DateTime as UTC in `timestamp(3)` (no zone): raw statements do too. */
const pgParam = (v: unknown) => (v instanceof Date ? v.toISOString().replace("Z", "") : v);

function startWriterThread(file: string): { write: Write; writeAll: WriteAll; writePairs: WritePairs; close(): Promise<void> } {
  // A small young generation: the thread keeps nothing between statements, and its heap is resident memory.
  const worker = new Worker(path.join(__dirname, "sqlite-writer-thread.js"), { workerData: { file }, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  const pending = new Map<number, { resolve(rows: unknown[]): void; reject(err: Error): void }>();
  let next = 0;
  const values = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, sqliteValue(v)])));
  worker.on("message", ({ id, rows, error }: { id: number; rows?: unknown[]; error?: string }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    if (error !== undefined) p?.reject(new Error(`SQLite: ${error}`));
    else p?.resolve(rows!);
  });
  worker.on("error", (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  worker.unref();
  const send = (message: Record<string, unknown>, transfer: ArrayBuffer[] = []) =>
    new Promise<unknown[]>((resolve, reject) => {
      const id = ++next;
      // Posted first: a message that cannot be cloned throws here and leaves nothing pending.
      worker.postMessage({ id, ...message }, transfer);
      // Referenced while a statement is out: a short-lived process (the CLI) must not exit
      // before its write is answered; idle, the thread never holds the process open.
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
    });
  /**
   * A Buffer's memory moved to the thread: a Buffer that is all of its ArrayBuffer moves as it is;
   * one that shares it (Node's pool of small buffers) is copied out first, since a structured
   * clone would copy the whole shared ArrayBuffer.
   */
  const movable = (v: unknown, transfer: ArrayBuffer[]) => {
    if (!(v instanceof Uint8Array)) return sqliteParam(v);
    const own = v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v : new Uint8Array(v);
    transfer.push(own.buffer as ArrayBuffer);
    return own;
  };
  return {
    write: async <T>(sql: string, params: unknown[]) => values((await send({ sql, params: params.map(sqliteParam) })) as Record<string, unknown>[]) as T[],
    writeAll: async (statements) =>
      ((await send({ list: statements.map((s) => ({ sql: s.sql, params: s.params.map(sqliteParam) })) })) as Record<string, unknown>[][]).map(values),
    writePairs: async (first, then, rows) => {
      const transfer: ArrayBuffer[] = [];
      const pairs = rows.map((pair) => pair.map((params) => params.map((v) => movable(v, transfer))));
      return (await send({ pairs: { first, then, rows: pairs } }, transfer)) as boolean[];
    },
    close: async () => {
      await worker.terminate();
    },
  };
}

export async function openDatabase(url: string): Promise<Database> {
  const provider = providerOf(url);
  if (provider === "sqlite") {
    const file = sqliteFileOf(url);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    const factory = new PrismaBetterSQLite3({ url: file, timeout: 10_000 });
    // Keep the adapter's own connection, so plain SQL and Prisma share one connection and one lock.
    let client: BetterSqlite3.Database | undefined;
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const adapter = await connect();
      client = (adapter as unknown as { client: BetterSqlite3.Database }).client;
      return adapter;
    };
    const db = new SqliteClient({ adapter: factory });
    // WAL lets readers (healthz, CLI) run beside the writer. NORMAL sync on this connection is
    // durable across a process crash; a power cut may take back its last commits (a message
    // marked sent may go again, nothing is lost). Webhooks are stored by the writer thread,
    // whose connection syncs every commit (sqlite-writer-thread.js).
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
    if (!client) throw new Error("SQLite driver adapter did not connect");
    const sqlite = client;
    const lock = new WriteLock();
    const statements = new Map<string, BetterSqlite3.Statement>();
    const sql: Sql = {
      all: <T>(text: string, params: unknown[]) =>
        lock.run(async () => {
          let stmt = statements.get(text);
          if (!stmt) {
            stmt = sqlite.prepare(text);
            if (statements.size < 500) statements.set(text, stmt);
          }
          const rows = (stmt.reader ? stmt.all(...params.map(sqliteParam)) : (stmt.run(...params.map(sqliteParam)), [])) as Record<string, unknown>[];
          return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, sqliteValue(v)]))) as T[];
        }),
    };
    const writer = startWriterThread(path.resolve(file));
    return {
      db,
      provider,
      sql,
      write: writer.write,
      writeAll: writer.writeAll,
      writePairs: writer.writePairs,
      transaction: (fn) => lock.run(() => db.$transaction(fn, { timeout: 30_000, maxWait: 30_000 })),
      close: async () => {
        await writer.close();
        await db.$disconnect();
      },
    };
  }
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { Pool, types } = await import("pg");
  const db = new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) }) as unknown as Db;
  const pool = new Pool({
    connectionString: url,
    max: 4,
    // timestamp without time zone holds UTC (Prisma's convention): read it as UTC.
    types: { getTypeParser: (oid: number, format?: string) => (oid === 1114 ? (s: string) => new Date(`${s}Z`) : types.getTypeParser(oid, format as never)) } as never,
  });
  const sql: Sql = { all: async <T>(text: string, params: unknown[]) => (await pool.query(text, params.map(pgParam))).rows as T[] };
  return {
    db,
    provider,
    sql,
    write: sql.all,
    writePairs: null,
    writeAll: async (statements) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const out: Record<string, unknown>[][] = [];
        for (const s of statements) out.push((await client.query(s.sql, s.params.map(pgParam))).rows);
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    transaction: (fn) => db.$transaction(fn, { timeout: 30_000, maxWait: 30_000 }),
    close: async () => {
      await pool.end();
      await db.$disconnect();
    },
  };
}
