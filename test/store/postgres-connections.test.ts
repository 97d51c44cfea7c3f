import pino from "pino";
import { Client } from "pg";
import { openDatabase } from "../../src/store/db";
import { describePostgres, freshPostgresUrl, terminateOtherBackends } from "../helpers/db";
import { waitFor } from "../helpers/deliveries";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

      const batch = database.writeAll([{ sql: "SELECT pg_sleep(5)", params: [] }]);
      await sleep(200);
      await terminateOtherBackends(own);
      await expect(batch).rejects.toThrow(/terminat/);
      expect(await database.writeAll([{ sql: "SELECT 1 AS one", params: [] }])).toEqual([[{ one: 1 }]]);

      // More transactions lost than Prisma's pool has connections (10): none keeps its slot.
      for (let i = 0; i < 12; i++) {
        const transaction = database.transaction(async (tx) => {
          await tx.shop.count();
          await sleep(150);
          return tx.shop.count();
        });
        await sleep(50);
        await terminateOtherBackends(own);
        await expect(transaction).rejects.toThrow(/connection/);
      }
      expect(await database.transaction((tx) => tx.shop.count())).toBe(0);
    } finally {
      await own.end();
      await database.close();
    }
  });
});
