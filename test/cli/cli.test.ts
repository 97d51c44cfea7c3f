import { JoinChatStandIn } from "../../src/standin/server";
import { signBody } from "../../src/joinchat/signature";
import { freshSqliteUrl } from "../helpers/db";
import { runCli } from "../helpers/cli";
import { TEST_ENCRYPTION_KEY } from "../helpers/app";
import { loadConfig } from "../../src/config/env";
import { createShopify } from "../../src/shopify/api";

const SHOP = "demo-store.myshopify.com";
const PAGE = "1029384756";
const SECRET = "joinchat-bot-secret";

describe("operator CLI: shop:set and send", () => {
  const standIn = new JoinChatStandIn({ [PAGE]: SECRET });
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { DATABASE_URL: freshSqliteUrl(), ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, JOINCHAT_API_URL: await standIn.listen() };
  });
  afterAll(() => standIn.close());

  it("refuses to store a JoinChat secret without ENCRYPTION_KEY", async () => {
    const r = await runCli(["shop:set", "--shop", SHOP, "--page-id", PAGE, "--joinchat-secret", SECRET], { ...env, ENCRYPTION_KEY: "" });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: ENCRYPTION_KEY is not set/);
  });

  it("stores a shop, then sends a signed text that the stand-in verifies", async () => {
    const set = await runCli(["shop:set", "--shop", SHOP, "--page-id", PAGE, "--joinchat-secret", SECRET, "--coupon-code", "WELCOME10", "--abandoned-delays", "0.5,60"], env);
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("recalls at 0.5, 60 minutes");
    const unique = await runCli(["shop:set", "--shop", SHOP, "--page-id", PAGE, "--joinchat-secret", SECRET, "--coupon-mode", "unique"], env);
    expect(unique.stdout).toMatch(/coupon WELCOME10 \(unique single-use codes through the Admin API/);
    const sent = await runCli(["send", "--shop", SHOP, "--to", "uuid:visitor-42", "--text", "Hello from the CLI"], env);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/JoinChat answered 200/);
    const got = standIn.messages.at(-1)!;
    expect(got.body).toEqual({ page_id: PAGE, recipient: { uuid: "visitor-42" }, message: { template_type: "text", text: "Hello from the CLI" } });
    expect(got.signature).toBe(signBody(got.raw, SECRET));
    // Recorded in the delivery log like any other message, with the bytes that were signed.
    const log = await runCli(["deliveries", "--shop", SHOP, "--json"], env);
    const rows = JSON.parse(log.stdout) as { automation: string; state: string; attempts: number; id: string }[];
    expect(rows).toEqual([expect.objectContaining({ automation: "manual", state: "sent", attempts: 1 })]);
    expect(sent.stdout).toContain(`delivery ${rows[0]!.id}`);
  });

  it("shop:set changes only the settings given", async () => {
    const r = await runCli(["shop:set", "--shop", SHOP, "--coupon-code", "SPRING5"], env);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/page 1029384756, secret stored encrypted, coupon SPRING5/);
    expect(r.stdout).toContain("recalls at 0.5, 60 minutes");
    expect(r.stdout).toContain("held past the 24-hour window");
    const nothing = await runCli(["shop:set", "--shop", SHOP], env);
    expect([nothing.code, nothing.stderr.trim()]).toEqual([2, "error: nothing to change: give at least one setting (see shop:set --help)"]);
    // The after-24-hours choice: a tag given alone keeps the other; a retired one is refused.
    await runCli(["shop:set", "--shop", SHOP, "--past-window", "send_tagged", "--receipt-tag", "ACCOUNT_UPDATE"], env);
    const tagged = await runCli(["shop:set", "--shop", SHOP, "--shipping-tag", "CONFIRMED_EVENT_UPDATE"], env);
    expect(tagged.stdout).toContain("sent past the 24-hour window with ACCOUNT_UPDATE (receipts) and CONFIRMED_EVENT_UPDATE (shipping)");
    const retired = await runCli(["shop:set", "--shop", SHOP, "--receipt-tag", "PAYMENT_UPDATE"], env);
    expect([retired.code, retired.stderr]).toEqual([2, expect.stringContaining("--receipt-tag: PAYMENT_UPDATE is not a tag the app sends with: Meta retired it")]);
  });

  it("--help lists the commands, and each command's --help its flags, exiting 0", async () => {
    const all = await runCli(["--help"], {});
    expect(all.code).toBe(0);
    for (const name of ["shop:set", "link:add", "send", "deliveries", "deliveries:retry", "admin:login"]) expect(all.stdout).toContain(`  ${name}`);
    const shopSet = await runCli(["shop:set", "--help"], {});
    expect(shopSet.code).toBe(0);
    for (const flag of ["--shop", "--page-id", "--joinchat-secret", "--coupon-code", "--abandoned-delays", "--coupon-mode", "--help"]) expect(shopSet.stdout).toContain(flag);
    const deliveries = await runCli(["deliveries", "--help"], {});
    expect([deliveries.code, deliveries.stdout]).toEqual([0, expect.stringContaining("--json")]);
  });

  it("admin:login prints an address whose token the admin API accepts for that shop only", async () => {
    const creds = { SHOPIFY_API_KEY: "cli-key", SHOPIFY_API_SECRET: "cli-secret", SHOPIFY_APP_URL: "https://app.example.com" };
    const r = await runCli(["admin:login", "--shop", SHOP, "--hours", "2"], { ...env, ...creds });
    expect(r.code).toBe(0);
    const url = new URL(r.stdout.trim());
    expect(`${url.origin}${url.pathname}`).toBe("https://app.example.com/admin");
    const shopify = createShopify(loadConfig({ ...creds, DATABASE_URL: env.DATABASE_URL! }))!;
    const payload = await shopify.session.decodeSessionToken(url.searchParams.get("token")!);
    expect(payload.dest).toBe(`https://${SHOP}`);
    expect(payload.exp - payload.iat).toBe(7200);
    const noCreds = await runCli(["admin:login", "--shop", SHOP], env);
    expect([noCreds.code, noCreds.stderr.trim()]).toEqual([2, expect.stringMatching(/SHOPIFY_API_KEY and SHOPIFY_API_SECRET must be set/)]);
  });

  it.each([
    [["send", "--shop", SHOP, "--to", "uuid:v", "--text", "x".repeat(641)], /message\.text: at most 640 characters/],
    [["send", "--shop", SHOP, "--to", "fax:123", "--text", "hi"], /--to must be uuid:/],
    [["send", "--shop", "not a shop", "--to", "uuid:v", "--text", "hi"], /--shop must be a \*\.myshopify\.com domain/],
    [["send", "--shop", "other.myshopify.com", "--to", "uuid:v", "--text", "hi"], /run shop:set first/],
    [["shop:set", "--shop", SHOP, "--page-id", "abc", "--joinchat-secret", "s"], /--page-id must be the numeric/],
    [["shop:set", "--shop", SHOP, "--page-id", PAGE, "--joinchat-secret", "s", "--abandoned-delays", "60,30"], /must increase/],
    [["shop:set", "--shop", "new-shop.myshopify.com", "--page-id", PAGE], /new-shop\.myshopify\.com is a new shop: give --page-id and --joinchat-secret/],
    [["shop:set", "--shop", SHOP, "--coupon_code", "X"], /^error: unknown flag --coupon_code \(did you mean --coupon-code\?\)/],
    [["shop:set", "--shop", SHOP, "--pageid", PAGE], /unknown flag --pageid \(did you mean --page-id\?\)/],
    [["deliveries", "--shop", SHOP, "--verbose"], /unknown flag --verbose/],
    [["deliveries", "--shop", SHOP, "extra"], /unexpected argument "extra"/],
    [["send", "--shop", SHOP, "--to"], /--to needs a value/],
    [["shop:set", "--shop", SHOP, "--page-id", PAGE, "--joinchat-secret", "s", "--coupon-mode", "random"], /--coupon-mode must be static or unique/],
    [["admin:login", "--shop", SHOP, "--hours=-1"], /--hours must be above 0/],
    [["nope"], /unknown command "nope"/],
  ])("refuses bad input with one line (case %#)", async (args, reason) => {
    const before = standIn.calls.length;
    const r = await runCli(args as string[], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(reason);
    expect(standIn.calls.length).toBe(before);
  });
});
