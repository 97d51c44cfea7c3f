// `npm run migrate`: apply pending migrations to DATABASE_URL's database (SQLite by default).
// A failure is one line that says what to do; Prisma's own output follows only at LOG_LEVEL=debug.
// Every `npm start` runs this first, so when nothing is pending it answers from the database's
// own record without starting Prisma's CLI (about a second on SQLite, and on PostgreSQL ten more
// while its idle connection lingers); Prisma's CLI runs only to apply what is pending, or to say
// what is wrong.
import "./require-node.cjs"; // first: one line and exit 1 on a Node older than package.json's engines
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { appliedMigrationRows, checkedInMigrations, compareMigrations } from "./migration-status.mjs";

if (existsSync(".env") && !process.env.DATABASE_URL) process.loadEnvFile(".env");
// As prisma.config.ts reads them: the URL (SQLite's default file), the provider's migrations from the working directory.
const url = process.env.DATABASE_URL || "file:./data/app.db";
const provider = url.startsWith("file:") ? "sqlite" : /^postgres(ql)?:\/\//.test(url) ? "postgresql" : null;
if (provider) {
  const migrations = checkedInMigrations(path.join("prisma", provider, "migrations"));
  const rows = await appliedMigrationRows(url);
  const status = rows && compareMigrations(migrations, rows);
  for (const name of status?.changed ?? [])
    console.warn(`Note: migration ${name} was edited after this database applied it (its checksum differs); the database keeps what was applied.`);
  if (status && status.pending.length === 0 && status.unfinished.length === 0) {
    console.log(`Database is up to date (${migrations.length} migrations, none pending).`);
    process.exit(0);
  }
  if (status?.pending.length) console.log(`Applying ${status.pending.length} pending migration(s): ${status.pending.join(", ")}`);
}

const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [prismaCli, "migrate", "deploy"], {
  stdio: ["ignore", "pipe", "pipe"],
  env: process.env,
  encoding: "utf8",
});

/** Prisma's error, as an operator's one line. */
function reason(output) {
  let m;
  if ((m = /Can't reach database server at `([^`]+)`/.exec(output))) return `cannot reach the PostgreSQL server at ${m[1]}: start it, or fix DATABASE_URL`;
  if ((m = /Database `([^`]+)` does not exist/.exec(output))) return `the PostgreSQL database "${m[1]}" does not exist: create it (createdb ${m[1]}) or fix DATABASE_URL`;
  if (/Authentication failed|password authentication failed/.test(output)) return "PostgreSQL refused the user or password in DATABASE_URL";
  if (/database is locked|SQLITE_BUSY/.test(output))
    return "the SQLite database file is in use by another process (database is locked): stop that process, or point DATABASE_URL at another file";
  if (/unable to open database file|SQLITE_CANTOPEN/.test(output)) return "the SQLite database file cannot be opened: check DATABASE_URL's folder exists and is writable";
  const line = output.split("\n").find((l) => /^Error:/.test(l.trim()));
  return line ? line.trim().replace(/^Error:\s*/, "") : "see the output with LOG_LEVEL=debug";
}

if (result.status !== 0) {
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`;
  if (process.env.LOG_LEVEL === "debug" || process.env.LOG_LEVEL === "trace") process.stderr.write(output);
  console.error(`Migrations failed (nothing was changed): ${reason(output)}`);
  process.exit(result.status ?? 1);
}
const applied = /The following migration\(s\) have been applied/.test(result.stdout);
console.log(applied ? "Database migrations applied." : "Database is up to date.");
