import { describePostgres, freshPostgresUrl, freshSqliteUrl } from "../helpers/db";
import { openDatabase, type Database } from "../../src/store/db";
import { LinkStore } from "../../src/store/links";

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
    expect(await links.link(SHOP, "u-1", { customerId: "7" }, at(1))).toEqual({ uuid: "u-1", customerId: "7", email: null, phone: null, linkedAt: at(1), source: "proxy" });
    expect(await links.find(SHOP, "u-1")).toEqual({ uuid: "u-1", customerId: "7", email: null, phone: null, linkedAt: at(1), source: "proxy" });
  });

  it("an anonymous click refreshes an anonymous link, and changes nothing on a link that names someone", async () => {
    await links.link(SHOP, "anon", {}, at(1));
    expect((await links.link(SHOP, "anon", {}, at(2))).linkedAt).toEqual(at(2));
    await links.link(SHOP, "owned", { email: "Victim@Example.com" }, at(1), "cli");
    expect(await links.link(SHOP, "owned", {}, at(5))).toEqual({ uuid: "owned", customerId: null, email: "victim@example.com", phone: null, linkedAt: at(1), source: "cli" });
  });

  it("a target that adds to a link fills it in; one that contradicts it takes the uuid, the old owner's contacts going with them", async () => {
    await links.link(SHOP, "u", { email: "one@example.com" }, at(1), "cli");
    expect(await links.link(SHOP, "u", { customerId: "1" }, at(2))).toMatchObject({ customerId: "1", email: "one@example.com", linkedAt: at(2), source: "proxy" });
    expect(await links.link(SHOP, "u", { customerId: "2" }, at(3))).toMatchObject({ customerId: "2", email: null, phone: null, linkedAt: at(3) });
    expect(await links.newestFor(SHOP, { email: "one@example.com" })).toBeNull();
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
