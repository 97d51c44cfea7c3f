import { openDatabase, type Database } from "../../src/store/db";
import { freshSqliteUrl } from "../helpers/db";

/**
 * The writer thread's group commit: webhook batches (writePairs) and the app's statements that
 * queue behind a running statement are committed together, each answered with its own rows (or
 * its own error: one the database refuses is undone alone), in the order they came.
 */
describe("SQLite writer thread", () => {
  let database: Database;
  beforeEach(async () => {
    database = await openDatabase(freshSqliteUrl());
    await database.write(`CREATE TABLE "t" ("k" TEXT PRIMARY KEY)`, []);
    await database.write(`CREATE TABLE "log" ("k" TEXT)`, []);
    // The WAL emptied, so what follows can be counted in its frames.
    await database.write("PRAGMA wal_checkpoint(TRUNCATE)", []);
  });
  afterEach(() => database.close());

  /**
   * Holds the thread for a moment, so that everything sent after it queues on its port. Sent a
   * little before the rest: what is already queued when the thread takes a statement shares its commit.
   */
  const busy = async () => {
    const held = database.write("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300000) SELECT count(*) AS n FROM c", []);
    await new Promise((r) => setTimeout(r, 20));
    return { held };
  };
  const insert = `INSERT INTO "t" ("k") VALUES (?) ON CONFLICT DO NOTHING`;
  const then = `INSERT INTO "log" ("k") VALUES (?)`;
  /** WAL frames written since the truncation: each commit writes every page it changed again. */
  const walFrames = async () => Number((await database.write<{ log: number }>("PRAGMA wal_checkpoint(PASSIVE)", []))[0]!.log);

  it("commits batches queued behind a statement in one transaction, and answers each with its own results", async () => {
    const { held } = await busy();
    const batches = Array.from({ length: 10 }, (_, i) =>
      database.writePairs!(insert, then, [
        [[`k${i}`], [`k${i}`]],
        // A repeat (of this batch's event, or the previous batch's): not new, so its second statement does not run.
        [[`k${Math.max(0, i - 1)}`], [`again-${i}`]],
      ]),
    );
    await held;
    expect(await Promise.all(batches)).toEqual(new Array(10).fill([true, false]));
    expect((await database.write<{ k: string }>(`SELECT "k" FROM "log" ORDER BY "k"`, [])).map((r) => r.k)).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`));
    // One commit: the two tables' pages written once each (ten commits would write them ten times).
    expect(await walFrames()).toBeLessThanOrEqual(3);
  });

  it("runs a statement of another kind queued among the batches after the batches before it, and the rest after", async () => {
    const { held } = await busy();
    const first = database.writePairs!(insert, then, [[["a"], ["a"]]]);
    const between = database.write(`INSERT INTO "log" ("k") SELECT 'saw ' || count(*) FROM "t"`, []);
    const last = database.writePairs!(insert, then, [[["b"], ["b"]]]);
    await held;
    expect(await Promise.all([first, between, last])).toEqual([[true], [], [true]]);
    expect((await database.write<{ k: string }>(`SELECT "k" FROM "log" ORDER BY rowid`, [])).map((r) => r.k)).toEqual(["a", "saw 1", "b"]);
  });

  it("fails only the message the database refuses in a shared commit, undoing all of its statements; the others commit", async () => {
    const { held } = await busy();
    const good = database.writePairs!(insert, then, [[["ok"], ["ok"]]]);
    // Its first statement ran before the second failed: undone with it.
    const bad = database.writePairs!(insert, `INSERT INTO "missing" ("k") VALUES (?)`, [[["bad"], ["bad"]]]);
    const list = database.writeAll([
      { sql: `INSERT INTO "log" ("k") VALUES ('listed')`, params: [] },
      { sql: `DELETE FROM "t" WHERE "k" = 'nothing' RETURNING "k"`, params: [], mustReturn: "nothing to delete" },
    ]);
    const statement = database.write(`INSERT INTO "log" ("k") VALUES ('alone')`, []);
    await held;
    await expect(good).resolves.toEqual([true]);
    await expect(bad).rejects.toThrow(/no such table: missing/);
    await expect(list).rejects.toThrow("nothing to delete");
    await expect(statement).resolves.toEqual([]);
    expect(await database.write(`SELECT "k" FROM "t"`, [])).toEqual([{ k: "ok" }]);
    expect((await database.write<{ k: string }>(`SELECT "k" FROM "log" ORDER BY rowid`, [])).map((r) => r.k)).toEqual(["ok", "alone"]);
  });

  it("commits the app's statements queued behind one another together, as it does webhook batches", async () => {
    const { held } = await busy();
    const writes = Array.from({ length: 20 }, (_, i) => database.write(`INSERT INTO "log" ("k") VALUES (?)`, [`m${i}`]));
    await held;
    await Promise.all(writes);
    expect(await database.write(`SELECT count(*) AS "n" FROM "log"`, [])).toEqual([{ n: 20 }]);
    // One commit writes the table's page once (twenty would write it twenty times).
    expect(await walFrames()).toBeLessThanOrEqual(2);
  });

  it("reads on the event loop's own connection see what the writer committed, and cannot write", async () => {
    await database.write(`INSERT INTO "t" ("k") VALUES (?)`, ["seen"]);
    expect(await database.read(`SELECT "k" FROM "t" WHERE "k" = ?`, ["seen"])).toEqual([{ k: "seen" }]);
    // Read by its message: the driver's error class may come from another test file's realm, which
    // jest's rejects.toThrow does not take for an error.
    const outcome = await database.read(`INSERT INTO "t" ("k") VALUES ('written') RETURNING "k"`, []).then(
      () => "written",
      (e: Error) => e.message,
    );
    expect(outcome).toMatch(/readonly/);
    expect(await database.write(`SELECT count(*) AS "n" FROM "t"`, [])).toEqual([{ n: 1 }]);
  });
});
