import { runCli } from "../helpers/cli";
import { freshSqliteUrl } from "../helpers/db";
import { openDatabase } from "../../src/store/db";
import { ShopStore } from "../../src/store/shops";

const SHOP = "rotate-me.myshopify.com";
const OLD_KEY = "a1".repeat(32);
const NEW_KEY = "b2".repeat(32);

describe("npm run cli -- keys:rotate", () => {
  it("takes the new key from NEW_ENCRYPTION_KEY only, re-seals the stored secrets with it, and the old key opens them no more", async () => {
    const url = freshSqliteUrl();
    const set = await runCli(["shop:set", "--shop", SHOP, "--page-id", "1", "--joinchat-secret", "the-joinchat-secret"], { DATABASE_URL: url, ENCRYPTION_KEY: OLD_KEY });
    expect(set.code).toBe(0);

    // Never a flag: a key there would show in ps and the shell's history.
    const flag = await runCli(["keys:rotate", "--new-key", NEW_KEY], { DATABASE_URL: url, ENCRYPTION_KEY: OLD_KEY });
    expect(flag).toMatchObject({ code: 2, stderr: "error: unknown flag --new-key; see --help\n" });
    const none = await runCli(["keys:rotate"], { DATABASE_URL: url, ENCRYPTION_KEY: OLD_KEY });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: NEW_ENCRYPTION_KEY is not set: .*not on the command line\n$/);
    const same = await runCli(["keys:rotate"], { DATABASE_URL: url, ENCRYPTION_KEY: OLD_KEY, NEW_ENCRYPTION_KEY: OLD_KEY });
    expect(same).toMatchObject({ code: 2, stderr: "error: NEW_ENCRYPTION_KEY is the same as ENCRYPTION_KEY: nothing to rotate\n" });
    const bad = await runCli(["keys:rotate"], { DATABASE_URL: url, ENCRYPTION_KEY: OLD_KEY, NEW_ENCRYPTION_KEY: "short" });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/NEW_ENCRYPTION_KEY must be 32 random bytes/);
    expect(bad.stderr).not.toContain("short");

    const rotated = await runCli(["keys:rotate"], { DATABASE_URL: url, ENCRYPTION_KEY: OLD_KEY, NEW_ENCRYPTION_KEY: NEW_KEY });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain("re-sealed 1 rows with the new key, 0 already were");
    expect(rotated.stdout).toContain("set ENCRYPTION_KEY to it");
    for (const key of [OLD_KEY, NEW_KEY, "the-joinchat-secret"]) expect(rotated.stdout + rotated.stderr).not.toContain(key);

    const database = await openDatabase(url);
    try {
      expect(await new ShopStore(database.db, NEW_KEY).joinchatSecret(SHOP)).toBe("the-joinchat-secret");
      expect(await new ShopStore(database.db, OLD_KEY).secretsUnreadable()).toEqual({ stored: 1, unreadable: 1 });
    } finally {
      await database.close();
    }
    // Run again (as after an interruption): nothing left, and it says so.
    const again = await runCli(["keys:rotate"], { DATABASE_URL: url, ENCRYPTION_KEY: OLD_KEY, NEW_ENCRYPTION_KEY: NEW_KEY });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("re-sealed 0 rows with the new key, 1 already were");
  }, 120_000);

  it("--help says where the keys come from, exit 0", async () => {
    const r = await runCli(["keys:rotate", "--help"], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("NEW_ENCRYPTION_KEY");
  });
});
