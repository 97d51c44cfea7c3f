import { describePostgres, freshPostgresUrl, freshSqliteUrl } from "../helpers/db";
import { openDatabase, type Database } from "../../src/store/db";
import { DeliveryStore, parseCursor } from "../../src/store/deliveries";
import { DIALECTS } from "../../src/store/sql/dialect";
import { pageDeliveriesStatement, type DeliveryFilter } from "../../src/store/sql/page-deliveries";

const SHOP = "demo-store.myshopify.com";
const OTHER = "other-store.myshopify.com";
const at = (day: number, minute = 0) => new Date(Date.UTC(2026, 11, day, 10, minute));

/** Rows as the outcome writer leaves them: the order's name and the findable words lowercased. */
async function seed(database: Database) {
  const row = (i: number, o: { shop?: string; state?: string; automation?: string; orderName?: string | null; search?: string | null; createdAt: Date }) => ({
    id: `d${String(i).padStart(3, "0")}`,
    key: `k:${i}`,
    shopDomain: o.shop ?? SHOP,
    automation: o.automation ?? "receipt",
    recipientKey: `${o.shop ?? SHOP}|uuid:u-${i}`,
    recipient: JSON.stringify({ uuid: `u-${i}` }),
    message: "{}",
    state: o.state ?? "sent",
    runAt: o.createdAt,
    orderName: o.orderName ?? null,
    search: o.search ?? null,
    createdAt: o.createdAt,
  });
  await database.db.delivery.createMany({
    data: [
      row(1, { orderName: "#1001", search: "alan smith alan@example.com u-1 #1001", createdAt: at(1) }),
      row(2, { automation: "shipping", orderName: "#1001", search: "alan smith alan@example.com u-2 #1001", createdAt: at(2) }),
      row(3, { state: "skipped", orderName: "#1002", search: "bea 50%_off@example.com #1002", createdAt: at(3) }),
      row(4, { automation: "abandoned", state: "skipped", search: "carla jones carla@example.com", createdAt: at(4) }),
      row(5, { automation: "welcome", search: "alan smith alan@example.com uuid-alan", createdAt: at(5) }),
      // Another shop's row with the same order and name is never shown.
      row(6, { shop: OTHER, orderName: "#1001", search: "alan smith alan@example.com #1001", createdAt: at(6) }),
      // Created in the same millisecond: the id orders them.
      ...Array.from({ length: 5 }, (_, k) => row(10 + k, { automation: "manual", search: `u-${10 + k}`, createdAt: at(7) })),
    ],
  });
}

function pageRules(open: () => Promise<Database>) {
  let database: Database;
  let store: DeliveryStore;
  beforeEach(async () => {
    database = await open();
    store = new DeliveryStore(database);
    await seed(database);
  });
  afterEach(() => database.close());

  const ids = async (f: Parameters<DeliveryStore["page"]>[1], shop = SHOP) => (await store.page(shop, f)).rows.map((r) => r.id);

  it("finds a shop's messages about an order by its name or number, and none of another shop's", async () => {
    expect(await ids({ order: "#1001", limit: 10 })).toEqual(["d002", "d001"]);
    expect(await ids({ order: "1001", limit: 10 })).toEqual(["d002", "d001"]);
    expect(await ids({ order: "100", limit: 10 })).toEqual([]);
    expect(await ids({ order: "1001", limit: 10 }, OTHER)).toEqual(["d006"]);
  });

  it("finds messages by any part of the customer's name or email, or a uuid, whatever the case", async () => {
    expect(await ids({ q: "ALAN", limit: 10 })).toEqual(["d005", "d002", "d001"]);
    expect(await ids({ q: "carla@example", limit: 10 })).toEqual(["d004"]);
    expect(await ids({ q: "uuid-alan", limit: 10 })).toEqual(["d005"]);
    // % and _ are the merchant's characters, not patterns.
    expect(await ids({ q: "50%_off", limit: 10 })).toEqual(["d003"]);
    expect(await ids({ q: "5%off", limit: 10 })).toEqual([]);
  });

  it("narrows by state, automation and dates, each with the others", async () => {
    expect(await ids({ state: "skipped", limit: 10 })).toEqual(["d004", "d003"]);
    expect(await ids({ state: "sent", automation: "receipt", limit: 10 })).toEqual(["d001"]);
    expect(await ids({ from: at(2), to: at(4), limit: 10 })).toEqual(["d003", "d002"]);
    expect(await ids({ q: "alan", from: at(2), limit: 10 })).toEqual(["d005", "d002"]);
  });

  it("pages newest first through rows created in the same millisecond, each row once", async () => {
    const seen: string[] = [];
    let before: ReturnType<typeof parseCursor> | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await store.page(SHOP, { limit: 2, ...(before ? { before } : {}) });
      seen.push(...page.rows.map((r) => r.id));
      if (!page.next) break;
      before = parseCursor(page.next)!;
    }
    expect(seen).toEqual(["d014", "d013", "d012", "d011", "d010", "d005", "d004", "d003", "d002", "d001"]);
    const searched = await store.page(SHOP, { q: "alan", limit: 2 });
    expect(searched.rows.map((r) => r.id)).toEqual(["d005", "d002"]);
    expect((await store.page(SHOP, { q: "alan", limit: 2, before: parseCursor(searched.next!)! })).rows.map((r) => r.id)).toEqual(["d001"]);
  });
}

describe("the delivery log's search and pages on SQLite", () => {
  pageRules(() => openDatabase(freshSqliteUrl()));

  it("reads an order through its index, and a search through the shop's rows newest first", async () => {
    const database = await openDatabase(freshSqliteUrl());
    try {
      const plan = async (f: DeliveryFilter) => {
        const { sql, params } = pageDeliveriesStatement(DIALECTS.sqlite, SHOP, f);
        return (await database.sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join("; ");
      };
      expect(await plan({ order: "1001", limit: 50 })).toMatch(/USING INDEX Delivery_shopDomain_orderName_idx/);
      // Read in index order, newest first, stopped when the page is full: no sort of the shop's rows.
      const search = await plan({ q: "alan", limit: 50 });
      expect(search).toMatch(/USING INDEX Delivery_shopDomain_createdAt_idx/);
      expect(search).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      expect(await plan({ state: "skipped", limit: 50 })).toMatch(/USING INDEX Delivery_shopDomain_state_createdAt_idx/);
    } finally {
      await database.close();
    }
  });
});

describePostgres("the delivery log's search and pages on PostgreSQL", () => {
  pageRules(async () => openDatabase(await freshPostgresUrl()));
});
