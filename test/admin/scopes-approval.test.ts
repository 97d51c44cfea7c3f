import { startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { FakeAdminApi } from "../helpers/fake-admin-api";
import { configureShop, drain } from "../helpers/shop";
import { postWebhook } from "../helpers/webhooks";
import { signSessionToken } from "../../src/shopify/session-token";
import { DEFAULT_SCOPES } from "../../src/config/env";
import { scopesToApprove } from "../../src/automations/setup";

const HOUR_S = 3600;
/** What a store installed before the app proxy's scope was added granted. */
const BEFORE_PROXY = ["read_customers", "read_orders", "read_fulfillments", "write_discounts", "write_store_credit_account_transactions"];

describe("a store installed before write_app_proxy: the admin asks the merchant to approve it", () => {
  let h: Harness;
  let shopify: FakeAdminApi;

  const start = async (env: Record<string, string> = {}) => {
    shopify = new FakeAdminApi();
    // Shopify's token exchange answers with the scopes the store granted: the old list.
    shopify.tokenEndpoint = () => ({
      status: 200,
      body: { access_token: "shpat_1", scope: BEFORE_PROXY.join(","), expires_in: HOUR_S, refresh_token: "shprt_1", refresh_token_expires_in: 90 * 24 * HOUR_S },
    });
    await shopify.listen();
    shopify.answer({ body: { data: { webhookSubscriptions: { nodes: [] } } } });
    h = await startHarness(env, { background: false });
    await configureShop(h);
  };
  afterEach(async () => {
    await h.close();
    await shopify.close();
  });

  /** The admin's checklist, loaded as Shopify admin loads it (App Bridge's session token: token exchange first). */
  const checklist = async () => {
    const token = signSessionToken(h.app.ctx.config, SHOP, 60, Date.now(), "92837465");
    const res = await fetch(`${h.url}/admin/api/setup`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: { id: string; done: boolean | null; detail: string; action?: { url?: string } }[] }).items;
  };

  it("shows, first in the setup checklist, the scope the token exchange did not grant, and where Shopify asks for it; gone once app/scopes_update reports it granted", async () => {
    await start();
    const items = await checklist();
    expect(shopify.tokenRequests).toHaveLength(1);
    const item = items[0]!;
    expect(item).toMatchObject({ id: "scopes", done: false, action: { url: `https://${SHOP}/admin/apps/test-api-key` } });
    expect(item.detail).toContain("write_app_proxy (the Send to Messenger button's link to the app)");
    expect(item.detail).toContain("Shopify asks you to approve it when you open the app");

    // The merchant approves: Shopify reports the new grant.
    await postWebhook(h.url, JSON.stringify({ id: 1, previous: BEFORE_PROXY, current: [...BEFORE_PROXY, "write_app_proxy"], updated_at: "2026-12-02T10:00:00Z" }), {
      topic: "app/scopes_update",
    });
    await drain(h);
    expect((await checklist()).map((i) => i.id)).not.toContain("scopes");
  });

  it("sends an install outside Shopify admin (SHOPIFY_LEGACY_OAUTH) through the authorization-code grant again", async () => {
    await start({ SHOPIFY_LEGACY_OAUTH: "true", SHOPIFY_APP_URL: "https://joinchat.example.com" });
    const item = (await checklist()).find((i) => i.id === "scopes")!;
    expect(item.action!.url).toBe(`https://joinchat.example.com/auth?shop=${encodeURIComponent(SHOP)}`);
  });
});

describe("scopesToApprove", () => {
  it("names the required scopes not granted; a write_ scope covers its read_; an unknown grant says nothing", () => {
    expect(scopesToApprove(DEFAULT_SCOPES, BEFORE_PROXY)).toEqual(["write_app_proxy"]);
    expect(scopesToApprove(DEFAULT_SCOPES, [...BEFORE_PROXY, "write_app_proxy"])).toEqual([]);
    expect(scopesToApprove("read_orders,write_app_proxy", ["write_orders", "write_app_proxy"])).toEqual([]);
    expect(scopesToApprove(DEFAULT_SCOPES, null)).toBeNull();
  });
});
