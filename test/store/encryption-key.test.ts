import { startAppProcess, exited } from "../helpers/processes";
import { freshSqliteUrl } from "../helpers/db";
import { openDatabase } from "../../src/store/db";
import { ShopStore } from "../../src/store/shops";
import { SHOP } from "../helpers/deliveries";

const KEY_A = "a1".repeat(32);
const KEY_B = "b2".repeat(32);

/** Runs the app as `npm start` does until it exits or says it started; returns how it ended and what it printed. */
async function start(env: Record<string, string>): Promise<{ code: number | null; started: boolean; stderr: string }> {
  const child = startAppProcess({ PORT: "0", LOG_LEVEL: "info", ROLE: "worker", ...env });
  let out = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const started = await new Promise<boolean>((resolve) => {
    const timer = setInterval(() => out.includes("app started") && (clearInterval(timer), resolve(true)), 50);
    child.once("exit", () => (clearInterval(timer), resolve(out.includes("app started"))));
  });
  if (started) child.kill("SIGTERM");
  return { code: await exited(child), started, stderr };
}

describe("ENCRYPTION_KEY against what it sealed", () => {
  it("refuses to start with another 32-byte key over stored secrets: non-zero exit, one line naming ENCRYPTION_KEY, no key material", async () => {
    const url = freshSqliteUrl();
    const database = await openDatabase(url);
    await new ShopStore(database.db, KEY_A).upsert(SHOP, { pageId: "1", joinchatSecret: "joinchat-bot-secret" });
    await database.close();

    const r = await start({ DATABASE_URL: url, ENCRYPTION_KEY: KEY_B });
    expect(r.started).toBe(false);
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: ENCRYPTION_KEY cannot open 1 of the 1 JoinChat secrets/);
    for (const secret of [KEY_A, KEY_B, "joinchat-bot-secret"]) expect(r.stderr).not.toContain(secret);

    const missing = await start({ DATABASE_URL: url });
    expect([missing.started, missing.code]).toEqual([false, 1]);
    expect(missing.stderr.trim()).toMatch(/^Configuration error: ENCRYPTION_KEY is not set, and the database holds 1 JoinChat secrets/);

    expect((await start({ DATABASE_URL: url, ENCRYPTION_KEY: KEY_A })).started).toBe(true);
  });

  it("starts with any key, or none, when no secret is stored", async () => {
    const url = freshSqliteUrl();
    expect((await start({ DATABASE_URL: url, ENCRYPTION_KEY: KEY_B })).started).toBe(true);
    expect((await start({ DATABASE_URL: url })).started).toBe(true);
  });
});
