import pino from "pino";
import { Client } from "pg";
import { openDatabase } from "../../src/store/db";
import { describePostgres, freshPostgresUrl, terminateOtherBackends } from "../helpers/db";
import { waitFor } from "../helpers/deliveries";

/** Backends of the test's database other than `own` in `state` (and running `query`, when given). */
async function backends(own: Client, state: string, query?: string): Promise<number> {
  const r = await own.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = $1 AND ($2::text IS NULL OR query = $2)",
    [state, query ?? null],
  );
  return (r.rows[0] as { n: number }).n;
}

describePostgres("PostgreSQL connections lost", () => {
  it("an idle connection of either pool (Prisma's, the app's own) is logged once and replaced; statements and transactions in flight fail to their callers without keeping their connections; the process lives", async () => {
    const url = await freshPostgresUrl();
    const lines: { msg: string }[] = [];
    const database = await openDatabase(url, pino({ level: "warn" }, { write: (line: string) => void lines.push(JSON.parse(line)) }));
    const own = new Client({ connectionString: url });
    await own.connect();
    try {
      await database.db.shop.count();
      await database.sql.all("SELECT 1", []);
      expect(await terminateOtherBackends(own)).toBe(2);
      await waitFor(
        async () => lines.length,
        (n) => n === 2,
        2_000,
      );
      expect(lines.map((l) => l.msg)).toEqual(Array(2).fill("database connection lost: the next query opens another"));
      expect(await database.db.shop.count()).toBe(0);
      expect(await database.sql.all("SELECT 1 AS one", [])).toEqual([{ one: 1 }]);

      // Each loss below waits for its statement or transaction to be under way (a condition, not a
      // guess of how long that takes on a busy machine).
      const batch = database.writeAll([{ sql: "SELECT pg_sleep(5)", params: [] }]);
      expect(
        await waitFor(
          () => backends(own, "active", "SELECT pg_sleep(5)"),
          (n) => n === 1,
        ),
      ).toBe(1);
      await terminateOtherBackends(own);
      await expect(batch).rejects.toThrow(/terminat/);
      expect(await database.writeAll([{ sql: "SELECT 1 AS one", params: [] }])).toEqual([[{ one: 1 }]]);

      // More transactions lost than Prisma's pool has connections (10): none keeps its slot.
      for (let i = 0; i < 12; i++) {
        let begun!: () => void;
        let lost!: () => void;
        const hasBegun = new Promise<void>((r) => (begun = r));
        const connectionLost = new Promise<void>((r) => (lost = r));
        const transaction = database.transaction(async (tx) => {
          await tx.shop.count();
          begun();
          await connectionLost;
          return tx.shop.count();
        });
        await Promise.race([hasBegun, transaction.catch(() => {})]);
        expect(
          await waitFor(
            () => backends(own, "idle in transaction"),
            (n) => n === 1,
          ),
        ).toBe(1);
        await terminateOtherBackends(own);
        lost();
        await expect(transaction).rejects.toThrow(/connection/);
      }
      expect(await database.transaction((tx) => tx.shop.count())).toBe(0);
    } finally {
      await own.end();
      await database.close();
    }
  });
});
