import { openDatabase } from "../../src/store/db";
import { DIALECTS } from "../../src/store/sql/dialect";
import { claimDeliveriesStatement } from "../../src/store/sql/claim-deliveries";
import { freshSqliteUrl } from "../helpers/db";

describe("the delivery claim's query plan on SQLite", () => {
  it("asks whether a claimed row's recipient has another message due by the recipient's index, not by every due message", async () => {
    const database = await openDatabase(freshSqliteUrl());
    try {
      const { sql, params } = claimDeliveriesStatement(DIALECTS.sqlite, { limit: 64, perShop: 64, workerId: "w", now: new Date(), leaseMs: 60_000 });
      const plan = (await database.write<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail);
      // The RETURNING clause's lookup of the recipient's next message (`followed`), alias f.
      const followed = plan.filter((line) => /^SEARCH f\b|^SCAN f\b/.test(line));
      expect(followed).toEqual([expect.stringContaining("USING INDEX Delivery_recipientKey_createdAt_idx (recipientKey=?)")]);
    } finally {
      await database.close();
    }
  });
});
