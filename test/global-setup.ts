import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";

/**
 * Migrates one template database per provider with the real `npm run migrate` path (Prisma's
 * schema engine), once per run; each test then gets a fresh copy (see test/helpers/db.ts).
 */
export default async function globalSetup(): Promise<void> {
  // The suite runs on the Node it is given; CI must give it one at package.json's floor (.ci/run fetches Node 24).
  console.log(`\n[node] tests run on Node.js ${process.versions.node}`);
  if (process.env.CI === "true" && Number(process.versions.node.split(".")[0]) < 22)
    throw new Error(`CI=true but the tests run on Node.js ${process.versions.node}: the app needs 22.12 or newer (see .ci/run)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jc-test-"));
  const sqliteTemplate = path.join(dir, "template.db");
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { env: { ...process.env, DATABASE_URL: `file:${sqliteTemplate}` }, stdio: "pipe" });
  process.env.TEST_TMP_DIR = dir;
  process.env.TEST_SQLITE_TEMPLATE = sqliteTemplate;

  const pgBase = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const admin = new Client({ connectionString: pgBase, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    if (process.env.CI === "true") throw new Error(`CI=true but PostgreSQL is not reachable at ${pgBase}: ${(err as Error).message}`);
    console.warn(`\n[notice] PostgreSQL not reachable (${(err as Error).message}): PostgreSQL tests will be skipped.\n`);
    return;
  }
  const template = `jc_template_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const url = new URL(pgBase);
  url.pathname = `/${template}`;
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { env: { ...process.env, DATABASE_URL: url.toString() }, stdio: "pipe" });
  process.env.TEST_POSTGRES_ADMIN_URL = pgBase;
  process.env.TEST_POSTGRES_TEMPLATE = template;
}
