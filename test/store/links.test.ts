import { describePostgres, freshPostgresUrl, freshSqliteUrl } from "../helpers/db";
import { openDatabase, type Database } from "../../src/store/db";
import { LinkStore, newestLinkStatement } from "../../src/store/links";
import { DIALECTS } from "../../src/store/sql/dialect";

const SHOP = "demo-store.myshopify.com";
const at = (minutes: number) => new Date(Date.UTC(2026, 11, 2, 10, minutes));

/** What LinkStore.link must do, whichever database holds the links. */
function linkRules(open: () => Promise<Database>) {
  let database: Database;
  let links: LinkStore;
  beforeEach(async () => {
    database = await open();
    links = new LinkStore(database);
  });
  afterEach(() => database.close());

  it("a logged-in click links the uuid to the customer and opens the window at the click", async () => {
    expect(await links.link(SHOP, "u-1", { customerId: "7" }, at(1))).toEqual({
      uuid: "u-1",
      customerId: "7",
      email: null,
      phone: null,
      linkedAt: at(1),
      source: "proxy",
      optInPage: null,
    });
    expect(await links.find(SHOP, "u-1")).toEqual({ uuid: "u-1", customerId: "7", email: null, phone: null, linkedAt: at(1), source: "proxy", optInPage: null });
  });

  it("an anonymous click refreshes an anonymous link, and changes nothing on a link that names someone", async () => {
    await links.link(SHOP, "anon", {}, at(1));
    expect((await links.link(SHOP, "anon", {}, at(2))).linkedAt).toEqual(at(2));
    await links.link(SHOP, "owned", { email: "Victim@Example.com" }, at(1), "cli");
    expect(await links.link(SHOP, "owned", {}, at(5))).toEqual({
      uuid: "owned",
      customerId: null,
      email: "victim@example.com",
      phone: null,
      linkedAt: at(1),
      source: "cli",
      optInPage: null,
    });
  });

  it("a target that adds to a link fills it in; one that contradicts it takes the uuid, the old owner's contacts going with them", async () => {
    await links.link(SHOP, "u", { email: "one@example.com" }, at(1), "cli");
    expect(await links.link(SHOP, "u", { customerId: "1" }, at(2))).toMatchObject({ customerId: "1", email: "one@example.com", linkedAt: at(2), source: "proxy" });
    expect(await links.link(SHOP, "u", { customerId: "2" }, at(3))).toMatchObject({ customerId: "2", email: null, phone: null, linkedAt: at(3) });
    expect(await links.newestFor(SHOP, { email: "one@example.com" })).toBeNull();
  });

  it("newestFor: the newest link by any of customer id, email or phone; none of another shop", async () => {
    await links.link(SHOP, "by-id", { customerId: "9" }, at(1));
    await links.link(SHOP, "by-email", { email: "Nine@Example.com" }, at(3), "cli");
    await links.link(SHOP, "by-phone", { phone: "+852 9999-0000" }, at(2), "cli");
    await links.link("other.myshopify.com", "other", { customerId: "9" }, at(4));
    expect((await links.newestFor(SHOP, { customerId: "9", email: "nine@example.com", phone: "+85299990000" }))?.uuid).toBe("by-email");
    expect((await links.newestFor(SHOP, { customerId: "9", phone: "+852 9999 0000" }))?.uuid).toBe("by-phone");
    expect((await links.newestFor(SHOP, { customerId: "9" }))?.uuid).toBe("by-id");
    expect(await links.newestFor(SHOP, { customerId: "10" })).toBeNull();
    expect(await links.newestFor(SHOP, {})).toBeNull();
  });

  it("keeps the page of the latest click with it; an anonymous click on a link that names someone changes neither", async () => {
    await links.link(SHOP, "p", { customerId: "4" }, at(1), "proxy", "/products/mug");
    expect(await links.link(SHOP, "p", { customerId: "4" }, at(2), "proxy", "/cart")).toMatchObject({ linkedAt: at(2), optInPage: "/cart" });
    expect(await links.link(SHOP, "p", {}, at(3), "proxy", "/")).toMatchObject({ linkedAt: at(2), optInPage: "/cart" });
  });

  it("search: a page, latest click first, with the total; by uuid, email (any case), phone digits or customer id; none of another shop", async () => {
    await links.link(SHOP, "jc_alpha", { email: "Alice@Example.com" }, at(1), "cli");
    await links.link(SHOP, "jc_beta", { phone: "+852 1234-5678" }, at(2), "cli");
    await links.link(SHOP, "jc_gamma", { customerId: "42" }, at(3), "proxy", "/cart");
    await links.link(SHOP, "jc_delta", {}, at(4));
    await links.link("other.myshopify.com", "jc_alpha-other", { email: "alice@example.com" }, at(5), "cli");
    const uuids = async (search: string | undefined, offset = 0, limit = 10) => {
      const r = await links.search(SHOP, { search, offset, limit });
      return [r.rows.map((l) => l.uuid), r.total];
    };
    expect(await uuids(undefined)).toEqual([["jc_delta", "jc_gamma", "jc_beta", "jc_alpha"], 4]);
    expect(await uuids(undefined, 1, 2)).toEqual([["jc_gamma", "jc_beta"], 4]);
    expect(await uuids("ALICE@example")).toEqual([["jc_alpha"], 1]);
    expect(await uuids("1234 5678")).toEqual([["jc_beta"], 1]);
    expect(await uuids("42")).toEqual([["jc_gamma"], 1]);
    expect(await uuids("jc_")).toEqual([["jc_delta", "jc_gamma", "jc_beta", "jc_alpha"], 4]);
    expect(await uuids("nobody")).toEqual([[], 0]);
    // LIKE's wildcards are searched for as themselves.
    expect(await uuids("%")).toEqual([[], 0]);
    expect(await uuids("jc_a_pha")).toEqual([[], 0]);
    const [gamma] = (await links.search(SHOP, { search: "gamma", offset: 0, limit: 1 })).rows;
    expect(gamma).toEqual({ uuid: "jc_gamma", customerId: "42", email: null, phone: null, source: "proxy", optInPage: "/cart", linkedAt: at(3), createdAt: at(3) });
  });

  it("unlink removes the link and says whether there was one", async () => {
    await links.link(SHOP, "gone", { customerId: "3" }, at(1));
    expect(await links.unlink(SHOP, "gone")).toBe(true);
    expect(await links.unlink(SHOP, "gone")).toBe(false);
    expect(await links.find(SHOP, "gone")).toBeNull();
  });
}

describe("uuid links on SQLite", () => linkRules(() => openDatabase(freshSqliteUrl())));
describePostgres("uuid links on PostgreSQL", () => linkRules(async () => openDatabase(await freshPostgresUrl())));

describe("newestFor's query plan on SQLite", () => {
  it("reads each way of knowing the person by its own index, not every link of the shop", async () => {
    const database = await openDatabase(freshSqliteUrl());
    try {
      const { sql, params } = newestLinkStatement(DIALECTS.sqlite, SHOP, { customerId: "9", email: "nine@example.com", phone: "+85299990000" })!;
      const plan = (await database.write<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join("\n");
      for (const c of ["customerId", "email", "phone"]) expect(plan).toContain(`USING INDEX RecipientLink_shopDomain_${c}_idx (shopDomain=? AND ${c}=?)`);
      expect(plan).not.toMatch(/RecipientLink_shopDomain_uuid_key|SCAN RecipientLink/);
    } finally {
      await database.close();
    }
  });
});
