import crypto from "node:crypto";
import { startHarness, TEST_SHOPIFY_SECRET, type Harness } from "../helpers/app";

// The library answers bots (Node's own user agent counts as one) with 410: speak as a browser.
const browser = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36" };

describe("authorization-code install (SHOPIFY_LEGACY_OAUTH=true)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ SHOPIFY_LEGACY_OAUTH: "true" }, { background: false });
  });
  afterAll(() => h.close());

  it("redirects /auth to the shop's grant screen with the app's key, scopes and a state cookie", async () => {
    const res = await fetch(`${h.url}/auth?shop=demo-store.myshopify.com`, { redirect: "manual", headers: browser });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.host).toBe("demo-store.myshopify.com");
    expect(location.pathname).toBe("/admin/oauth/authorize");
    expect(location.searchParams.get("client_id")).toBe("test-api-key");
    expect(location.searchParams.get("scope")).toContain("read_orders");
    expect(location.searchParams.get("redirect_uri")).toBe("https://app.example.com/auth/callback");
    expect(res.headers.get("set-cookie")).toMatch(/shopify_app_state=/);
  });

  it("refuses a shop that is not a myshopify.com domain", async () => {
    const res = await fetch(`${h.url}/auth?shop=evil.example.com`, { redirect: "manual", headers: browser });
    expect(res.status).toBe(400);
  });

  it("refuses a callback without the state cookie, even with a valid HMAC, and stores no session", async () => {
    const query = new URLSearchParams({ code: "abc", shop: "demo-store.myshopify.com", state: "123", timestamp: String(Math.floor(Date.now() / 1000)) });
    const message = [...query.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    query.set("hmac", crypto.createHmac("sha256", TEST_SHOPIFY_SECRET).update(message).digest("hex"));
    const res = await fetch(`${h.url}/auth/callback?${query}`, { redirect: "manual", headers: browser });
    expect(res.status).toBe(400);
    expect(await h.app.ctx.db.session.count()).toBe(0);
  });
});

describe("authorization-code install, by default", () => {
  it("is not served: installation is Shopify-managed and tokens come by token exchange", async () => {
    const h = await startHarness({}, { background: false });
    try {
      const res = await fetch(`${h.url}/auth?shop=demo-store.myshopify.com`, { redirect: "manual", headers: browser });
      expect(res.status).toBe(404);
    } finally {
      await h.close();
    }
  });
});
