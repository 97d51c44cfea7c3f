import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import Database from "better-sqlite3";
import { startAppProcess, exited } from "../helpers/processes";
import { freshPostgresUrl, freshSqliteUrl, hasPostgres } from "../helpers/db";

/** Runs `npm start`'s app process until it exits (or 20 s); what it printed on stderr. */
async function startFails(env: Record<string, string>, uid?: number): Promise<{ code: number | null; stderr: string }> {
  const child = startAppProcess({ PORT: "0", LOG_LEVEL: "info", ...env }, { uid });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const code = await exited(child);
  clearTimeout(timer);
  return { code, stderr };
}

/** `npm run migrate` (scripts/migrate.mjs) against `url`. */
function migrate(url: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, ["scripts/migrate.mjs"], { env: { PATH: process.env.PATH, DATABASE_URL: url }, timeout: 60_000 }, (err, _out, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stderr }),
    ),
  );
}

/** One line, no stack trace, no Prisma banner. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |PrismaClient|prisma\.io|invocation/);
  return lines[0]!;
}

describe("operator errors at start: one line each, naming what to do", () => {
  it("the port is in use", async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, "0.0.0.0", () => r()));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const r = await startFails({ PORT: String(port), DATABASE_URL: freshSqliteUrl() });
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toBe(`Start-up failed: port ${port} is in use by another process: stop it, or set PORT to a free port`);
    } finally {
      taken.close();
    }
  });

  it("a worker's METRICS_PORT is in use: named as METRICS_PORT", async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, "0.0.0.0", () => r()));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const r = await startFails({ ROLE: "worker", METRICS_PORT: String(port), DATABASE_URL: freshSqliteUrl() });
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toBe(`Start-up failed: port ${port} is in use by another process: stop it, or set METRICS_PORT to a free port`);
    } finally {
      taken.close();
    }
  });

  it("the PostgreSQL server is down (app and migrations)", async () => {
    const url = "postgresql://postgres@127.0.0.1:1/app";
    const r = await startFails({ DATABASE_URL: url });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe("Start-up failed: cannot reach the PostgreSQL server at 127.0.0.1:1: start it, or fix DATABASE_URL");
    const m = await migrate(url);
    expect(m.code).not.toBe(0);
    expect(oneLine(m.stderr)).toBe("Migrations failed (nothing was changed): cannot reach the PostgreSQL server at 127.0.0.1:1: start it, or fix DATABASE_URL");
  });

  const pg = process.env.TEST_POSTGRES_ADMIN_URL;
  (pg ? it : it.skip)("the PostgreSQL database does not exist (app and migrations)", async () => {
    const url = new URL(pg!);
    url.pathname = "/jc_missing_database";
    const r = await startFails({ DATABASE_URL: url.toString() });
    expect(oneLine(r.stderr)).toBe(
      'Start-up failed: the PostgreSQL database "jc_missing_database" does not exist: create it (createdb jc_missing_database) or fix DATABASE_URL, then npm run migrate',
    );
    const m = await migrate(url.toString());
    expect(oneLine(m.stderr)).toBe(
      'Migrations failed (nothing was changed): the PostgreSQL database "jc_missing_database" does not exist: create it (createdb jc_missing_database) or fix DATABASE_URL',
    );
  });

  it("the SQLite file is locked by another process", async () => {
    const url = freshSqliteUrl();
    const holder = new Database(url.slice("file:".length));
    holder.pragma("locking_mode = EXCLUSIVE");
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const r = await startFails({ DATABASE_URL: url });
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toBe(
        "Start-up failed: the SQLite database file is in use by another process (database is locked): stop that process, or point DATABASE_URL at another file",
      );
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });

  it.each([
    ["read-only in a writable folder", 0o777, "delete"],
    ["read-only, in WAL mode, in a read-only folder", 0o755, "wal"],
  ])("the SQLite file is %s", async (_, folderMode, journalMode) => {
    // Root writes any file whatever its mode: the app runs as nobody then.
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "jc-readonly-"));
    const file = path.join(folder, "app.db");
    fs.copyFileSync(freshSqliteUrl().slice("file:".length), file);
    const db = new Database(file);
    db.pragma(`journal_mode = ${journalMode}`);
    db.close();
    fs.chmodSync(file, 0o444);
    fs.chmodSync(folder, folderMode);
    try {
      const r = await startFails({ DATABASE_URL: `file:${file}` }, uid);
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toBe(
        "Start-up failed: the SQLite database file is read-only (attempt to write a readonly database): let this process write the file and its folder, or point DATABASE_URL at another file",
      );
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it("an unknown role", async () => {
    const r = await startFails({ ROLE: "cron", DATABASE_URL: freshSqliteUrl() });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe('Configuration error: ROLE must be all, web or worker (got "cron")');
  });
});

describe("start-up notices", () => {
  /** The app's stdout from start until it says it started. */
  async function startupLog(env: Record<string, string>): Promise<string> {
    const child = startAppProcess({ PORT: "0", LOG_LEVEL: "info", ROLE: "web", ...env });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve) => {
      const t = setInterval(() => out.includes("app started") && (clearInterval(t), resolve()), 50);
      child.once("exit", () => (clearInterval(t), resolve()));
    });
    child.kill("SIGTERM");
    await exited(child);
    return out;
  }

  it("names ENCRYPTION_KEY when it is missing, and says embedded SQLite only when it is", async () => {
    const out = await startupLog({ DATABASE_URL: freshSqliteUrl() });
    expect(out).toContain("app started");
    expect(out).toContain("ENCRYPTION_KEY is not set");
    expect(out).toContain("embedded SQLite database");
    if (!hasPostgres) return;
    const onPg = await startupLog({ DATABASE_URL: await freshPostgresUrl() });
    expect(onPg).toContain("app started");
    expect(onPg).toContain("on PostgreSQL");
    expect(onPg).not.toContain("SQLite");
  });
});
