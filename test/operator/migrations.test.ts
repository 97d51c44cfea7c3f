import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Client } from "pg";
import { describePostgres, freshPostgresUrl, freshSqliteUrl } from "../helpers/db";

const ROOT = path.resolve(__dirname, "../..");

/**
 * A copy of the project as `npm run migrate` sees it, whose migrations (copied) a test may add to:
 * prisma.config.ts and the provider's folder copied, the rest linked to this checkout.
 */
function projectCopy(provider: "sqlite" | "postgresql"): { dir: string; migrations: string } {
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR!, "project-"));
  for (const linked of ["node_modules", "scripts", "src", "package.json"]) fs.symlinkSync(path.join(ROOT, linked), path.join(dir, linked));
  fs.copyFileSync(path.join(ROOT, "prisma.config.ts"), path.join(dir, "prisma.config.ts"));
  fs.cpSync(path.join(ROOT, "prisma", provider), path.join(dir, "prisma", provider), { recursive: true });
  return { dir, migrations: path.join(dir, "prisma", provider, "migrations") };
}

function addMigration(migrations: string, name: string, sql: string): void {
  fs.mkdirSync(path.join(migrations, name));
  fs.writeFileSync(path.join(migrations, name, "migration.sql"), sql);
}

/** `npm run migrate` in `cwd` against `url`. */
function migrate(cwd: string, url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, ["scripts/migrate.mjs"], { cwd, env: { PATH: process.env.PATH, DATABASE_URL: url }, timeout: 90_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
}

const PROBE = "29991231000000_operator_probe";

describe("npm run migrate (the check every npm start makes first), SQLite", () => {
  it("says none is pending on an up-to-date database; applies one added; notes an applied one edited; leaves a failed one to Prisma, which refuses", async () => {
    const { dir, migrations } = projectCopy("sqlite");
    const count = fs.readdirSync(migrations).filter((n) => fs.existsSync(path.join(migrations, n, "migration.sql"))).length;
    const url = freshSqliteUrl();
    const file = url.slice("file:".length);

    const upToDate = await migrate(dir, url);
    expect(upToDate).toMatchObject({ code: 0, stdout: `Database is up to date (${count} migrations, none pending).\n` });

    addMigration(migrations, PROBE, 'CREATE TABLE "OperatorProbe" ("id" INTEGER NOT NULL PRIMARY KEY);\n');
    const applied = await migrate(dir, url);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`Applying 1 pending migration(s): ${PROBE}`);
    expect(applied.stdout).toContain("Database migrations applied.");
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'OperatorProbe'").get()).toEqual({ name: "OperatorProbe" });
    db.close();
    expect((await migrate(dir, url)).stdout).toBe(`Database is up to date (${count + 1} migrations, none pending).\n`);

    // Edited after it was applied: said, not applied again (as Prisma's deploy does).
    fs.appendFileSync(path.join(migrations, PROBE, "migration.sql"), "-- edited\n");
    const edited = await migrate(dir, url);
    expect(edited).toMatchObject({ code: 0, stdout: `Database is up to date (${count + 1} migrations, none pending).\n` });
    expect(edited.stderr).toContain(`Note: migration ${PROBE} was edited after this database applied it`);

    // A migration that started and never finished (it failed) is not "up to date": Prisma's CLI says what to do.
    const rw = new Database(file);
    rw.prepare("UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = ?").run(PROBE);
    rw.close();
    const failed = await migrate(dir, url);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/^Migrations failed \(nothing was changed\): .*/);
    expect(failed.stdout).not.toContain("up to date");
  }, 180_000);
});

describePostgres("npm run migrate (the check every npm start makes first), PostgreSQL", () => {
  it("says none is pending on an up-to-date database, and applies one added", async () => {
    const { dir, migrations } = projectCopy("postgresql");
    const count = fs.readdirSync(migrations).filter((n) => fs.existsSync(path.join(migrations, n, "migration.sql"))).length;
    const url = await freshPostgresUrl();

    expect(await migrate(dir, url)).toMatchObject({ code: 0, stdout: `Database is up to date (${count} migrations, none pending).\n` });

    addMigration(migrations, PROBE, 'CREATE TABLE "OperatorProbe" ("id" INTEGER NOT NULL PRIMARY KEY);\n');
    const applied = await migrate(dir, url);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`Applying 1 pending migration(s): ${PROBE}`);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query(`SELECT to_regclass('"OperatorProbe"') IS NOT NULL AS present`)).rows[0]).toEqual({ present: true });
    } finally {
      await client.end();
    }
    expect((await migrate(dir, url)).stdout).toBe(`Database is up to date (${count + 1} migrations, none pending).\n`);
  }, 180_000);
});
