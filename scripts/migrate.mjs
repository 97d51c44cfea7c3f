// `npm run migrate`: apply pending migrations to DATABASE_URL's database (SQLite by default).
// A failure is one line that says what to do; Prisma's own output follows only at LOG_LEVEL=debug.
import "./require-node.cjs"; // first: one line and exit 1 on a Node older than package.json's engines
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

if (existsSync(".env") && !process.env.DATABASE_URL) process.loadEnvFile(".env");
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
