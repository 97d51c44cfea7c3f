import BetterSqlite3 from "better-sqlite3";
import { sqliteParam } from "./sqlite-writer";

type Read = <T = Record<string, unknown>>(sql: string, params: unknown[]) => Promise<T[]>;

/**
 * Plain reads on the event loop's own SQLite connection, without Prisma: an indexed row costs a
 * few µs there, where Prisma's query compiler and interpreter cost about half a millisecond a read
 * (a CPU profile of the receipt run). WAL lets it read beside the writer thread, and it never waits
 * on the event loop (no busy timeout): a read found busy (another connection recovering or
 * checkpointing the WAL) goes to `busy`, the writer thread, which waits off the event loop. Only
 * reads: the connection is query-only. Opened at the first read (the writer thread makes the file).
 */
export function sqliteReader(file: string, busy: Read): { all: Read; close(): void } {
  let db: BetterSqlite3.Database | null = null;
  const statements = new Map<string, BetterSqlite3.Statement>();
  const statement = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      if (!db) {
        // Kept only once it is query-only: the pragma too may find the file busy.
        const opened = new BetterSqlite3(file, { timeout: 0 });
        try {
          opened.pragma("query_only = ON");
        } catch (err) {
          opened.close();
          throw err;
        }
        db = opened;
      }
      stmt = db.prepare(sql);
      if (statements.size < 100) statements.set(sql, stmt);
    }
    return stmt;
  };
  return {
    all: async <T>(sql: string, params: unknown[]) => {
      try {
        return statement(sql).all(...params.map(sqliteParam)) as T[];
      } catch (err) {
        // Only a read goes to the writer: a write through here is refused whatever the connection's state.
        if (!String((err as { code?: unknown }).code ?? "").startsWith("SQLITE_BUSY") || !/^\s*(SELECT|WITH)\b/i.test(sql)) throw err;
        return busy<T>(sql, params);
      }
    },
    close: () => {
      db?.close();
      db = null;
      statements.clear();
    },
  };
}
