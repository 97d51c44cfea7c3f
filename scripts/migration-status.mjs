// Which of the checked-in migrations a database lacks, read straight from Prisma's own record
// (`_prisma_migrations`) without Prisma's CLI: the check every `npm start` makes, so it must be
// quick when nothing is pending. Prisma's CLI (`migrate deploy`) still applies what is pending.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The migrations in `dir` (each a folder holding migration.sql), oldest first, with the checksum
 * Prisma records for each (sha256 of the file's bytes).
 */
export function checkedInMigrations(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => ({
      name: e.name,
      checksum: createHash("sha256")
        .update(readFileSync(path.join(dir, e.name, "migration.sql")))
        .digest("hex"),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * What the database holds of `migrations`: `pending` (never finished there: Prisma's CLI applies
 * them), `unfinished` (started and neither finished nor rolled back: a failed or running migration,
 * which Prisma's CLI reports or waits for), `changed` (finished under another checksum: the file was
 * edited after it was applied; Prisma's deploy does not apply it again either). Rows are read as
 * Prisma writes them: a migration rolled back (`migrate resolve --rolled-back`) and not re-applied
 * is pending.
 */
export function compareMigrations(migrations, rows) {
  const byName = new Map();
  for (const row of rows) {
    const list = byName.get(row.migration_name) ?? [];
    list.push(row);
    byName.set(row.migration_name, list);
  }
  const pending = [];
  const unfinished = [];
  const changed = [];
  for (const m of migrations) {
    const live = (byName.get(m.name) ?? []).filter((r) => r.rolled_back_at == null);
    const finished = live.find((r) => r.finished_at != null);
    if (finished) {
      if (finished.checksum !== m.checksum) changed.push(m.name);
    } else if (live.length > 0) unfinished.push(m.name);
    else pending.push(m.name);
  }
  return { pending, unfinished, changed };
}

const ROWS = "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations";

/**
 * Prisma's record of `url`'s database: its rows, [] when it has none yet (a new database), null
 * when the database cannot be read this way (the server down, the file unreadable): the caller
 * leaves that to Prisma's CLI, which says what is wrong.
 */
export async function appliedMigrationRows(url) {
  // Errors of any kind fall back to Prisma's CLI, whose own message names the problem.
  try {
    if (url.startsWith("file:")) {
      const file = url.slice("file:".length).replace(/^\/\//, "");
      if (!existsSync(file)) return []; // a new database: Prisma's CLI creates the file
      const { default: Database } = await import("better-sqlite3");
      const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
      try {
        const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
        return table ? db.prepare(ROWS).all() : [];
      } finally {
        db.close();
      }
    }
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
      return rows[0].present ? (await client.query(ROWS)).rows : [];
    } finally {
      await client.end();
    }
  } catch {
    return null;
  }
}
