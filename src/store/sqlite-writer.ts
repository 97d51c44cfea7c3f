import path from "node:path";
import { Worker } from "node:worker_threads";
import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlResultSet, Transaction } from "@prisma/driver-adapter-utils";

/** One SQL statement and its parameters (placeholders "?" on SQLite, "$n" on PostgreSQL). */
export interface Statement {
  sql: string;
  params: unknown[];
  /** When set, the statement must return a row (RETURNING): if none, the transaction is undone with this as its error. */
  mustReturn?: string;
}

/** Prisma stores SQLite DateTime as ISO text with "+00:00"; raw statements write the same. */
export const sqliteParam = (v: unknown) => (v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? Number(v) : v);
const sqliteValue = (v: unknown) => (typeof v === "bigint" ? Number(v) : v);

/** The driver's error as Prisma reads it (name and cause), rebuilt from what the thread sent. */
class DriverAdapterError extends Error {
  readonly name = "DriverAdapterError";
  constructor(
    message: string,
    readonly cause: object,
  ) {
    super(message);
  }
}

export interface SqliteWriter {
  write<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]>;
  writeAll(statements: Statement[]): Promise<Record<string, unknown>[][]>;
  writePairs(first: string, then: string, rows: [unknown[], unknown[]][]): Promise<boolean[]>;
  probeWrite(busyMs: number): Promise<void>;
  /** Prisma's driver adapter: plain reads on `reader` (this thread's own connection), the rest on the writer. */
  prismaAdapter(reader: SqlDriverAdapterFactory): SqlDriverAdapterFactory;
  close(): Promise<void>;
}

/** Prisma's plain reads, which WAL lets run beside the writer on a connection of their own. */
const isPlainRead = (sql: string) => /^\s*SELECT\b/i.test(sql);
/** SQLite's "busy" family (SQLITE_BUSY, _RECOVERY, _SNAPSHOT), as the driver adapter reports it. */
const isBusy = (err: unknown) => String((err as { cause?: { originalCode?: unknown } }).cause?.originalCode ?? "").startsWith("SQLITE_BUSY");

/**
 * The writer thread (sqlite-writer-thread.js) and what talks to it. It owns the process's one
 * writing connection: webhook batches, the app's plain SQL and Prisma's writes and transactions
 * all queue there, so nothing in the process waits for another of its connections' write lock
 * (a storefront opt-in no longer fails with "database is locked" under a webhook burst), and no
 * busy wait ever runs on the event loop.
 */
export function startSqliteWriter(file: string): SqliteWriter {
  // A small young generation: the thread keeps nothing between statements, and its heap is resident
  // memory. Of the process's flags only a CPU profile's (--cpu-prof): the thread is profiled with it.
  const worker = new Worker(path.join(__dirname, "sqlite-writer-thread.js"), {
    workerData: { file },
    execArgv: process.execArgv.filter((a) => a.startsWith("--cpu-prof")),
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  const pending = new Map<number, { resolve(rows: unknown): void; reject(err: Error): void }>();
  let next = 0;
  const values = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, sqliteValue(v)])));
  worker.on("message", ({ id, rows, error, cause }: { id: number; rows?: unknown; error?: string; cause?: object }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    if (error === undefined) p?.resolve(rows);
    else p?.reject(cause ? new DriverAdapterError(error, cause) : new Error(`SQLite: ${error}`));
  });
  worker.on("error", (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  worker.unref();
  const send = <R = unknown[]>(message: Record<string, unknown>, transfer: ArrayBuffer[] = []) =>
    new Promise<R>((resolve, reject) => {
      const id = ++next;
      // Posted first: a message that cannot be cloned throws here and leaves nothing pending.
      worker.postMessage({ id, ...message }, transfer);
      // Referenced while a statement is out: a short-lived process (the CLI) must not exit
      // before its write is answered; idle, the thread never holds the process open.
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve: resolve as (rows: unknown) => void, reject });
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
  let transactions = 0;
  const prismaAdapter = (readerFactory: SqlDriverAdapterFactory): SqlDriverAdapterFactory => ({
    provider: "sqlite",
    adapterName: readerFactory.adapterName,
    connect: async (): Promise<SqlDriverAdapter> => {
      const reader = await readerFactory.connect();
      const base = { provider: "sqlite" as const, adapterName: reader.adapterName };
      return {
        ...base,
        // A read is busy only for a moment (another connection recovering or checkpointing the
        // WAL); the reader has no busy timeout, so such a read goes to the writer, which waits
        // off the event loop.
        queryRaw: async (query: SqlQuery) => {
          if (isPlainRead(query.sql)) {
            try {
              return await reader.queryRaw(query);
            } catch (err) {
              if (!isBusy(err)) throw err;
            }
          }
          return send<SqlResultSet>({ prisma: "queryRaw", query });
        },
        executeRaw: (query: SqlQuery) => send<number>({ prisma: "executeRaw", query }),
        executeScript: (script: string) => send<void>({ prisma: "executeScript", script }),
        startTransaction: async (isolationLevel?: IsolationLevel): Promise<Transaction> => {
          const txId = ++transactions;
          const { options } = await send<{ options: Transaction["options"] }>({ prisma: "begin", txId, isolationLevel });
          return {
            ...base,
            options,
            queryRaw: (query: SqlQuery) => send<SqlResultSet>({ prisma: "queryRaw", txId, query }),
            executeRaw: (query: SqlQuery) => send<number>({ prisma: "executeRaw", txId, query }),
            commit: () => send<void>({ prisma: "commit", txId }),
            rollback: () => send<void>({ prisma: "rollback", txId }),
          };
        },
        dispose: () => reader.dispose(),
      };
    },
  });
  return {
    write: async <T>(sql: string, params: unknown[]) => values(await send<Record<string, unknown>[]>({ sql, params: params.map(sqliteParam) })) as T[],
    writeAll: async (statements) =>
      (await send<Record<string, unknown>[][]>({ list: statements.map((s) => ({ sql: s.sql, params: s.params.map(sqliteParam), mustReturn: s.mustReturn })) })).map(values),
    writePairs: async (first, then, rows) => {
      const transfer: ArrayBuffer[] = [];
      const pairs = rows.map((pair) => pair.map((params) => params.map((v) => movable(v, transfer))));
      return send<boolean[]>({ pairs: { first, then, rows: pairs } }, transfer);
    },
    probeWrite: async (busyMs) => {
      await send({ probeMs: busyMs });
    },
    prismaAdapter,
    close: async () => {
      await worker.terminate();
    },
  };
}
