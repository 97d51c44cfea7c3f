import { spawn, type ChildProcess } from "node:child_process";
import { startHarness, type Harness } from "../helpers/app";
import { sqliteFileOf } from "../../src/store/database-url";

/** Another process that takes the SQLite file's write lock and keeps it until killed. */
async function holdWriteLock(file: string): Promise<ChildProcess> {
  const script = `const db = new (require("better-sqlite3"))(process.argv[1]); db.exec("BEGIN EXCLUSIVE"); console.log("locked"); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["-e", script, file], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return child;
}

async function timed(url: string): Promise<{ status: number; ms: number; body: Record<string, unknown> }> {
  const t = performance.now();
  const res = await fetch(url);
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, ms: performance.now() - t, body };
}

describe("GET /healthz", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("answers with the database up over real HTTP", async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: "up" });
  });

  it("answers 404 as JSON for an unknown route", async () => {
    const res = await fetch(`${h.url}/nowhere`);
    expect(res.status).toBe(404);
  });

  it("reports a database another process holds (cannot be written) as down within its deadline, and other answers stay fast meanwhile", async () => {
    const holder = await holdWriteLock(sqliteFileOf(h.app.ctx.config.DATABASE_URL));
    try {
      const health = timed(`${h.url}/healthz`);
      await new Promise((r) => setTimeout(r, 100));
      // While the probe waits for the lock, the event loop is free: a plain answer is not held up.
      const other = await timed(`${h.url}/nowhere`);
      const down = await health;
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ ok: false, database: "down" });
      expect(String(down.body.error)).toMatch(/locked|did not answer/);
      // The deadline is 1 s; the margin is for a loaded machine, not for a blocked event loop (10 s busy wait).
      expect(down.ms).toBeLessThan(2_500);
      expect(other.status).toBe(404);
      expect(other.ms).toBeLessThan(400);
    } finally {
      holder.kill();
    }
    await new Promise((r) => holder.once("exit", r));
    expect((await timed(`${h.url}/healthz`)).status).toBe(200);
  });
});
