import { startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { FakeAdminApi } from "../helpers/fake-admin-api";
import { signSessionToken } from "../../src/shopify/session-token";

/** The token endpoint answering a token exchange with an expiring offline token. */
const exchange = () => ({
  status: 200,
  body: { access_token: "shpat_1", scope: "read_customers,read_orders", expires_in: 3600, refresh_token: "shprt_1", refresh_token_expires_in: 90 * 86_400 },
});

describe("the shop's time zone, read from Shopify at the admin's load", () => {
  let h: Harness;
  let shopify: FakeAdminApi;
  beforeEach(async () => {
    shopify = new FakeAdminApi();
    shopify.tokenEndpoint = exchange;
    await shopify.listen();
    h = await startHarness({}, { background: false });
  });
  afterEach(async () => {
    await h.close();
    await shopify.close();
  });

  const adminLoad = () =>
    fetch(`${h.url}/admin/api/results?days=7`, { headers: { authorization: `Bearer ${signSessionToken(h.app.ctx.config, SHOP, 60, Date.now(), "92837465")}` } });

  it("stores Shopify's ianaTimezone once, and Results count days in it; UTC before", async () => {
    expect(await h.app.ctx.shops.timeZone(SHOP)).toBeNull();
    shopify.shopTimeZone = "Asia/Kolkata";
    const first = (await (await adminLoad()).json()) as { timeZone: string; days: string[] };
    expect(first.timeZone).toBe("Asia/Kolkata");
    expect(first.days).toHaveLength(7);
    expect(await h.app.ctx.shops.timeZone(SHOP)).toBe("Asia/Kolkata");
    await adminLoad();
    expect(shopify.timeZoneRequests).toBe(1);
  });

  it("keeps counting in UTC when Shopify names a zone this Node does not know, and asks again at the next load", async () => {
    shopify.shopTimeZone = "Mars/Olympus_Mons";
    expect(((await (await adminLoad()).json()) as { timeZone: string }).timeZone).toBe("UTC");
    expect(await h.app.ctx.shops.timeZone(SHOP)).toBeNull();
    shopify.shopTimeZone = "Europe/Paris";
    expect(((await (await adminLoad()).json()) as { timeZone: string }).timeZone).toBe("Europe/Paris");
  });
});
