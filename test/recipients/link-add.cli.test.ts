import { runCli } from "../helpers/cli";
import { freshSqliteUrl } from "../helpers/db";
import { SHOP } from "../helpers/deliveries";
import { openDatabase } from "../../src/store/db";

describe("npm run cli -- link:add", () => {
  const url = freshSqliteUrl();
  const env = { DATABASE_URL: url };
  const rows = async () => {
    const database = await openDatabase(url);
    try {
      return await database.db.recipientLink.findMany({ orderBy: { uuid: "asc" } });
    } finally {
      await database.close();
    }
  };

  it("links a uuid to a customer id (exact beyond 2^53), an email or a phone, as the storefront would", async () => {
    const byId = await runCli(["link:add", "--shop", SHOP, "--uuid", "cli-by-id", "--customer-id", "9007199254740993017"], env);
    expect(byId).toMatchObject({ code: 0, stderr: "" });
    expect(byId.stdout).toContain("uuid cli-by-id linked");
    expect((await runCli(["link:add", "--shop", SHOP, "--uuid", "cli-by-email", "--email", "A@Example.com"], env)).code).toBe(0);
    expect((await runCli(["link:add", "--shop", SHOP, "--uuid", "cli-by-phone", "--phone", "+852 1234 5678"], env)).code).toBe(0);
    expect((await rows()).map((l) => [l.uuid, l.customerId, l.email, l.phone, l.source])).toEqual([
      ["cli-by-email", null, "a@example.com", null, "cli"],
      ["cli-by-id", "9007199254740993017", null, null, "cli"],
      ["cli-by-phone", null, null, "+85212345678", "cli"],
    ]);
  });

  it.each([
    [["--shop", SHOP, "--uuid", "u", "--email", "a@example.com", "--phone", "+8520000"], "error: give exactly one of --customer-id, --email or --phone"],
    [["--shop", SHOP, "--uuid", "u"], "error: give exactly one of --customer-id, --email or --phone"],
    [["--shop", SHOP, "--uuid", "not a uuid!", "--customer-id", "1"], "error: --uuid must be 1-128 letters, digits, - or _"],
    [["--shop", SHOP, "--customer-id", "1"], "error: --uuid is required"],
    [["--shop", "example.com", "--uuid", "u", "--customer-id", "1"], "error: --shop must be a *.myshopify.com domain, e.g. my-store.myshopify.com"],
    [["--shop", SHOP, "--uuid", "u", "--customer-id", "abc"], "error: --customer-id must be a Shopify customer id (digits)"],
  ])("exits 2 with one line and links nothing on bad input %j", async (args, line) => {
    const r = await runCli(["link:add", ...args], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(line);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect((await rows()).map((l) => l.uuid)).not.toContain("u");
  });
});
