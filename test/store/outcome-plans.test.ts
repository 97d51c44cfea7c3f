import { openDatabase, type Database } from "../../src/store/db";
import { DIALECTS } from "../../src/store/sql/dialect";
import { outcomeStatements } from "../../src/store/sql/write-outcome";
import { describePostgres, freshPostgresUrl } from "../helpers/db";
import { SHOP } from "../helpers/deliveries";

/**
 * PostgreSQL plans by statistics, and a table that grew since its last ANALYZE (a burst, a server
 * with autovacuum off) has none that say so. An order's outcome looks up recalls sent to its buyer:
 * driven by (shopDomain, state), that lookup read every message the shop ever sent, once per order.
 */
describePostgres("an order's outcome on PostgreSQL, statistics out of date", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase(await freshPostgresUrl());
    const sentAt = new Date();
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      key: `receipt:${SHOP}:${i}`,
      shopDomain: SHOP,
      automation: "receipt",
      recipientKey: `${SHOP}|uuid:u-${i % 500}`,
      recipient: JSON.stringify({ uuid: `u-${i % 500}` }),
      customerId: String(1000 + (i % 500)),
      subjectKey: `order:${i}`,
      message: "{}",
      state: "sent",
      sentAt,
      runAt: sentAt,
    }));
    for (let i = 0; i < rows.length; i += 500) await database.db.delivery.createMany({ data: rows.slice(i, i + 500) });
  });
  afterAll(() => database.close());

  it("finds the buyer's recalls by the buyer's indexes, not by walking the shop's sent messages", async () => {
    const statements = outcomeStatements(
      DIALECTS.postgresql,
      {
        eventId: "e1",
        shopDomain: SHOP,
        state: "processed",
        note: null,
        customerId: "1007",
        traces: null,
        order: { orderId: "7001", orderName: "#7001", total: "10.00", currency: "EUR", paid: false, customerId: "1007", recipient: { uuid: "u-7" } },
        close: [
          {
            subjectKey: "checkout:abc",
            code: "order_placed",
            reason: "order placed",
            recovery: { orderId: "7001", orderName: "#7001", total: "10.00", currency: "EUR", paid: false },
          },
        ],
      },
      new Date(),
    );
    // The recall lookups of the order and of the checkout it closes, and the cancel of the checkout's scheduled messages.
    const looksUp = statements.filter((s) => /"Delivery"/.test(s.sql));
    expect(looksUp).toHaveLength(3);
    for (const s of looksUp) {
      const plan = (await database.sql.all<{ "QUERY PLAN": string }>(`EXPLAIN ${s.sql}`, s.params)).map((r) => r["QUERY PLAN"]).join("\n");
      expect(plan).not.toMatch(/Delivery_shopDomain_state_createdAt_idx|Delivery_state_runAt_idx|Seq Scan on "Delivery"/);
    }
  });
});
