import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { Client } from "pg";

/** A fresh, migrated SQLite file for one test: a copy of the run's template. */
export function freshSqliteUrl(): string {
  const template = process.env.TEST_SQLITE_TEMPLATE;
  if (!template) throw new Error("test/global-setup.ts did not run");
  const file = path.join(process.env.TEST_TMP_DIR!, `${crypto.randomUUID()}.db`);
  fs.copyFileSync(template, file);
  return `file:${file}`;
}

/** Whether PostgreSQL tests run: always under CI=true, else only where a server answered. */
export const hasPostgres = Boolean(process.env.TEST_POSTGRES_TEMPLATE);
export const describePostgres = hasPostgres ? describe : describe.skip;
if (!hasPostgres) console.warn("[notice] PostgreSQL tests skipped: no server reachable (they run under CI=true).");

/** A fresh, migrated PostgreSQL database for one test, cloned from the run's template. */
export async function freshPostgresUrl(): Promise<string> {
  const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL!;
  const template = process.env.TEST_POSTGRES_TEMPLATE!;
  const name = `${template}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Terminates every backend of `own`'s database but its own, as a failover or restart would; how many. */
export async function terminateOtherBackends(own: Client): Promise<number> {
  const r = await own.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
  return r.rowCount ?? 0;
}
