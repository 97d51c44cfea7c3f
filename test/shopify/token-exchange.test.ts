import { startHarness, startTestApp, testConfig, TEST_ENCRYPTION_KEY, TEST_SHOPIFY_SECRET, type Harness } from "../helpers/app";
import { describePostgres, freshPostgresUrl } from "../helpers/db";
import { SHOP } from "../helpers/deliveries";
import { created, FakeAdminApi, type TokenRequest } from "../helpers/fake-admin-api";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";
import { signSessionToken } from "../../src/shopify/session-token";
import { decryptSecret, isSealed } from "../../src/store/secrets";
import type { RunningApp } from "../../src/server";

const HOUR_S = 3600;

/** Shopify's token endpoint as documented: token exchange and refresh both answer an expiring token and a refresh token. */
function shopifyTokenEndpoint() {
  let issued = 0;
  let currentRefresh: string | null = null;
  const issue = () => {
    issued++;
    currentRefresh = `shprt_${issued}`;
    return {
      status: 200,
      body: {
        access_token: `shpat_${issued}`,
        scope: "read_customers,read_orders,read_fulfillments,write_discounts",
        expires_in: HOUR_S,
        refresh_token: currentRefresh,
        refresh_token_expires_in: 90 * 24 * HOUR_S,
      },
    };
  };
  return (r: TokenRequest) => {
    if (r.client_id !== "test-api-key") return { status: 401, body: { error: "invalid_client" } };
    if (r.grant_type === "urn:ietf:params:oauth:grant-type:token-exchange") {
      if (r.requested_token_type !== "urn:shopify:params:oauth:token-type:offline-access-token" || r.expiring !== "1") return { status: 400, body: { error: "invalid_request" } };
      return issue();
    }
    if (r.grant_type === "refresh_token") return r.refresh_token === currentRefresh ? issue() : { status: 400, body: { error: "invalid_grant" } };
    return { status: 400, body: { error: "unsupported_grant_type" } };
  };
}

describe("managed installation: token exchange, expiring offline tokens, refresh, reinstall", () => {
  let h: Harness;
  let shopify: FakeAdminApi;

  beforeEach(async () => {
    shopify = new FakeAdminApi();
    shopify.tokenEndpoint = shopifyTokenEndpoint();
    await shopify.listen();
    h = await startHarness({}, { background: false });
  });
  afterEach(async () => {
    await h.close();
    await shopify.close();
  });

  /** The admin's request with the session token App Bridge would hand it (a user's, not a standalone login). */
  const adminLoad = () => fetch(`${h.url}/admin/api/shop`, { headers: { authorization: `Bearer ${signSessionToken(h.app.ctx.config, SHOP, 60, Date.now(), "92837465")}` } });
  const sessionRow = () => h.app.ctx.db.session.findUnique({ where: { id: `offline_${SHOP}` } });
  const noShopWebhooks = { body: { data: { webhookSubscriptions: { nodes: [] } } } };

  it("stores, at the first admin load, an expiring offline token and its refresh token, sealed; later loads exchange nothing", async () => {
    shopify.answer(noShopWebhooks);
    const res = await adminLoad();
    expect(res.status).toBe(200);
    expect(shopify.tokenRequests).toHaveLength(1);
    expect(shopify.tokenRequests[0]).toMatchObject({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      expiring: "1",
    });

    const row = (await sessionRow())!;
    // At rest: ciphertext only, the key opens it.
    expect(row.accessToken).not.toContain("shpat_1");
    expect(isSealed(row.accessToken) && isSealed(row.refreshToken!)).toBe(true);
    expect(decryptSecret(row.accessToken, TEST_ENCRYPTION_KEY)).toBe("shpat_1");
    expect(decryptSecret(row.refreshToken!, TEST_ENCRYPTION_KEY)).toBe("shprt_1");
    expect(Math.abs(row.expires!.getTime() - (Date.now() + HOUR_S * 1000))).toBeLessThan(60_000);
    expect(row.refreshTokenExpires!.getTime()).toBeGreaterThan(Date.now() + 89 * 24 * HOUR_S * 1000);
    expect((await h.app.ctx.shops.find(SHOP))!.installed).toBe(true);

    expect((await adminLoad()).status).toBe(200);
    expect(shopify.tokenRequests).toHaveLength(1);
  });

  it("refreshes an expired token before using it, and a token Shopify answers 401 to, then sends with the new one", async () => {
    shopify.answer(noShopWebhooks);
    await adminLoad();
    await configureShop(h, { settings: { couponMode: "unique" } });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await h.app.ctx.db.session.update({ where: { id: `offline_${SHOP}` }, data: { expires: new Date(Date.now() - 60_000) } });

    // The refreshed token is refused once (revoked early): refreshed again, and the call retried.
    shopify.answer({ status: 401, body: { errors: "[API] Invalid API key or access token" } }, created());
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);

    expect(shopify.tokenRequests.map((r) => [r.grant_type, r.refresh_token])).toEqual([
      ["urn:ietf:params:oauth:grant-type:token-exchange", undefined],
      ["refresh_token", "shprt_1"],
      ["refresh_token", "shprt_2"],
    ]);
    const graphql = shopify.requests.filter((r) => /discountCodeBasicCreate/.test(r.query));
    expect(graphql.map((r) => r.accessToken)).toEqual(["shpat_2", "shpat_3"]);
    expect(decryptSecret((await sessionRow())!.accessToken, TEST_ENCRYPTION_KEY)).toBe("shpat_3");
    expect(h.standIn.messages).toHaveLength(1);
    expect(JSON.stringify(h.standIn.messages[0]!.body.message)).toMatch(/WELCOME-[A-Z2-9]{10}/);
  });

  it("drops a token whose refresh Shopify refuses (another copy of the app exchanged since), and exchanges again at the next admin load", async () => {
    shopify.answer(noShopWebhooks);
    await adminLoad();
    // A staging copy of the app exchanges for this shop: Shopify revokes the tokens stored here.
    shopify.tokenEndpoint({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      client_id: "test-api-key",
      client_secret: TEST_SHOPIFY_SECRET,
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
    });
    await h.app.ctx.db.session.update({ where: { id: `offline_${SHOP}` }, data: { expires: new Date(Date.now() - 60_000) } });

    await expect(h.app.ctx.tokens!.forShop(SHOP)).rejects.toThrow(/refresh refused/);
    expect(await sessionRow()).toBeNull();
    expect((await adminLoad()).status).toBe(200);
    expect(shopify.tokenRequests.map((r) => r.grant_type)).toEqual([
      "urn:ietf:params:oauth:grant-type:token-exchange",
      "refresh_token",
      "urn:ietf:params:oauth:grant-type:token-exchange",
    ]);
    expect(decryptSecret((await sessionRow())!.accessToken, TEST_ENCRYPTION_KEY)).toBe("shpat_3");
  });

  it("drops a token the Admin API still answers 401 to after a refresh, so the next admin load exchanges again", async () => {
    shopify.answer(noShopWebhooks);
    await adminLoad();
    await configureShop(h, { settings: { couponMode: "unique" } });
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    const unauthorized = { status: 401, body: { errors: "[API] Invalid API key or access token" } };
    shopify.answer(unauthorized, unauthorized);
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);

    const graphql = shopify.requests.filter((r) => /discountCodeBasicCreate/.test(r.query));
    expect(graphql.map((r) => r.accessToken)).toEqual(["shpat_1", "shpat_2"]);
    expect(await sessionRow()).toBeNull();
    expect((await adminLoad()).status).toBe(200);
    expect(shopify.tokenRequests.map((r) => r.grant_type).at(-1)).toBe("urn:ietf:params:oauth:grant-type:token-exchange");
    expect(decryptSecret((await sessionRow())!.accessToken, TEST_ENCRYPTION_KEY)).toBe("shpat_3");
  });

  it("re-activates the shop when the merchant reinstalls after an uninstall", async () => {
    shopify.answer(noShopWebhooks);
    await adminLoad();
    await postWebhook(h.url, JSON.stringify({ id: 1, domain: SHOP }), { topic: "app/uninstalled" });
    await drain(h);
    expect(await sessionRow()).toBeNull();
    expect((await h.app.ctx.shops.find(SHOP))!.installed).toBe(false);

    // Sign-ins issued up to the uninstall's second are refused (src/http/admin-auth.ts): the
    // reinstall's App Bridge token is a fresh one, from a later second.
    await new Promise((r) => setTimeout(r, 1_100));
    const res = await adminLoad();
    expect(res.status).toBe(200);
    expect(((await res.json()) as { installed: boolean }).installed).toBe(true);
    expect(shopify.tokenRequests).toHaveLength(2);
    expect(decryptSecret((await sessionRow())!.accessToken, TEST_ENCRYPTION_KEY)).toBe("shpat_2");
    expect((await h.app.ctx.shops.find(SHOP))!.uninstalledAt).toBeNull();
  });

  it("removes, at the next admin load, the shop-specific subscriptions an older version registered, once", async () => {
    shopify.answer(
      { body: { data: { webhookSubscriptions: { nodes: [{ id: "gid://shopify/WebhookSubscription/1" }, { id: "gid://shopify/WebhookSubscription/2" }] } } } },
      { body: { data: { webhookSubscriptionDelete: { deletedWebhookSubscriptionId: "gid://shopify/WebhookSubscription/1", userErrors: [] } } } },
      { body: { data: { webhookSubscriptionDelete: { deletedWebhookSubscriptionId: "gid://shopify/WebhookSubscription/2", userErrors: [] } } } },
    );
    expect((await adminLoad()).status).toBe(200);
    expect(shopify.requests.map((r) => r.variables?.id ?? (/webhookSubscriptions/.test(r.query) ? "list" : r.query))).toEqual([
      "list",
      "gid://shopify/WebhookSubscription/1",
      "gid://shopify/WebhookSubscription/2",
    ]);
    expect(shopify.requests.every((r) => r.accessToken === "shpat_1")).toBe(true);
    await adminLoad();
    expect(shopify.requests).toHaveLength(3);
  });

  it("records the scopes app/scopes_update reports on the stored token", async () => {
    shopify.answer(noShopWebhooks);
    await adminLoad();
    await postWebhook(
      h.url,
      JSON.stringify({
        id: 1,
        previous: ["read_customers", "read_orders", "read_fulfillments", "write_discounts"],
        current: ["read_customers", "read_orders"],
        updated_at: "2026-12-02T10:00:00Z",
      }),
      { topic: "app/scopes_update" },
    );
    await drain(h);
    expect((await sessionRow())!.scope).toBe("read_customers,read_orders");
  });

  it("migrates a non-expiring token an older version stored in clear to an expiring one, sealed, at its first use", async () => {
    await h.app.ctx.db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_legacy", scope: "read_orders" } });
    const session = await h.app.ctx.tokens!.forShop(SHOP);
    expect(session!.accessToken).toBe("shpat_1");
    expect(shopify.tokenRequests[0]).toMatchObject({
      subject_token: "shpat_legacy",
      subject_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
    });
    const row = (await sessionRow())!;
    expect(row.accessToken).not.toContain("shpat");
    expect(row.expires).not.toBeNull();
  });

  it("migrates, when a worker starts, a non-expiring token no admin load or Admin API call has used", async () => {
    await h.app.ctx.db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_legacy", scope: "read_orders" } });
    const worker = await startTestApp(testConfig({ DATABASE_URL: h.app.ctx.config.DATABASE_URL, ROLE: "worker" }));
    try {
      for (let i = 0; i < 100 && !(await sessionRow())?.expires; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }
    expect(shopify.tokenRequests).toEqual([
      expect.objectContaining({ subject_token: "shpat_legacy", subject_token_type: "urn:shopify:params:oauth:token-type:offline-access-token", expiring: "1" }),
    ]);
    const row = (await sessionRow())!;
    expect(decryptSecret(row.accessToken, TEST_ENCRYPTION_KEY)).toBe("shpat_1");
    expect(row.refreshTokenExpires!.getTime()).toBeGreaterThan(Date.now() + 89 * 24 * HOUR_S * 1000);
  });

  it("refreshes, in the daily upkeep, a quiet shop's token whose refresh token lapses within a week, and no other", async () => {
    shopify.answer(noShopWebhooks);
    await adminLoad();
    expect(await h.app.ctx.tokens!.renewDue()).toEqual({ renewed: 0, failed: 0 });
    await h.app.ctx.db.session.update({ where: { id: `offline_${SHOP}` }, data: { refreshTokenExpires: new Date(Date.now() + 3 * 24 * HOUR_S * 1000) } });

    expect(await h.app.ctx.tokens!.renewDue()).toEqual({ renewed: 1, failed: 0 });
    expect(shopify.tokenRequests.map((r) => [r.grant_type, r.refresh_token])).toEqual([
      ["urn:ietf:params:oauth:grant-type:token-exchange", undefined],
      ["refresh_token", "shprt_1"],
    ]);
    const row = (await sessionRow())!;
    expect(decryptSecret(row.refreshToken!, TEST_ENCRYPTION_KEY)).toBe("shprt_2");
    expect(row.refreshTokenExpires!.getTime()).toBeGreaterThan(Date.now() + 89 * 24 * HOUR_S * 1000);
  });

  it("does not exchange a standalone login (Shopify would refuse it) and answers 502 when Shopify gives no token", async () => {
    const standalone = signSessionToken(h.app.ctx.config, SHOP, 60);
    expect((await fetch(`${h.url}/admin/api/shop`, { headers: { authorization: `Bearer ${standalone}` } })).status).toBe(200);
    expect(shopify.tokenRequests).toHaveLength(0);
    shopify.tokenEndpoint = () => ({ status: 400, body: { error: "invalid_subject_token" } });
    expect((await adminLoad()).status).toBe(502);
    expect(await sessionRow()).toBeNull();
  });
});

/**
 * Two web processes on one database, as behind a load balancer: the admin's first load fires
 * several calls at once, and they reach both.
 */
function twoProcessesInstalling(database: () => Promise<Record<string, string>>) {
  let first: Harness;
  let second: RunningApp;
  let shopify: FakeAdminApi;
  beforeEach(async () => {
    shopify = new FakeAdminApi();
    shopify.tokenEndpoint = shopifyTokenEndpoint();
    shopify.tokenDelayMs = 300;
    await shopify.listen();
    first = await startHarness(await database(), { background: false });
    second = await startTestApp(testConfig({ DATABASE_URL: first.app.ctx.config.DATABASE_URL }), { background: false });
  });
  afterEach(async () => {
    await second.stop();
    await first.close();
    await shopify.close();
  });

  it("exchanges the session token once when both load the admin at once, and both use the token stored", async () => {
    shopify.answer({ body: { data: { webhookSubscriptions: { nodes: [] } } } });
    const token = signSessionToken(first.app.ctx.config, SHOP, 60, Date.now(), "92837465");
    const load = (url: string) => fetch(`${url}/admin/api/shop`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    const statuses = await Promise.all([first.url, second.url!, first.url, second.url!, first.url].map(load));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(shopify.tokenRequests).toHaveLength(1);
    expect((await second.ctx.tokens!.forShop(SHOP))!.accessToken).toBe("shpat_1");
    expect((await first.app.ctx.db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).tokenLeaseUntil).toBeNull();
  });
}

describe("managed installation across processes, SQLite", () => twoProcessesInstalling(async () => ({})));
describePostgres("managed installation across processes, PostgreSQL", () => twoProcessesInstalling(async () => ({ DATABASE_URL: await freshPostgresUrl() })));
