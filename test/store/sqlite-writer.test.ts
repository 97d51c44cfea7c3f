import { openDatabase, type Database } from "../../src/store/db";
import { freshSqliteUrl } from "../helpers/db";

/**
 * The writer thread's group commit: webhook batches (writePairs) that queue behind a running
 * statement are committed together, each answered with its own rows, and a message of another
 * kind queued among them still runs, after them.
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

  /** Holds the thread for a moment, so that everything sent after it queues on its port. */
  const busy = () => database.write("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300000) SELECT count(*) AS n FROM c", []);
  const insert = `INSERT INTO "t" ("k") VALUES (?) ON CONFLICT DO NOTHING`;
  const then = `INSERT INTO "log" ("k") VALUES (?)`;
  /** WAL frames written since the truncation: each commit writes every page it changed again. */
  const walFrames = async () => Number((await database.write<{ log: number }>("PRAGMA wal_checkpoint(PASSIVE)", []))[0]!.log);

  it("commits batches queued behind a statement in one transaction, and answers each with its own results", async () => {
    const held = busy();
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
    const held = busy();
    const first = database.writePairs!(insert, then, [[["a"], ["a"]]]);
    const between = database.write(`INSERT INTO "log" ("k") SELECT 'saw ' || count(*) FROM "t"`, []);
    const last = database.writePairs!(insert, then, [[["b"], ["b"]]]);
    await held;
    expect(await Promise.all([first, between, last])).toEqual([[true], [], [true]]);
    expect((await database.write<{ k: string }>(`SELECT "k" FROM "log" ORDER BY rowid`, [])).map((r) => r.k)).toEqual(["a", "saw 1", "b"]);
  });

  it("fails every batch of a shared commit when it fails, and stores none of them", async () => {
    const held = busy();
    const good = database.writePairs!(insert, then, [[["ok"], ["ok"]]]);
    const bad = database.writePairs!(insert, `INSERT INTO "missing" ("k") VALUES (?)`, [[["bad"], ["bad"]]]);
    await held;
    await expect(good).rejects.toThrow(/no such table: missing/);
    await expect(bad).rejects.toThrow(/no such table: missing/);
    expect(await database.write(`SELECT "k" FROM "t"`, [])).toEqual([]);
  });
});
