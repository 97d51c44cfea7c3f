import { harnessPerTest } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";
import { postWebhook } from "../helpers/webhooks";
import { signSessionToken } from "../../src/shopify/session-token";

describe("standalone admin sign-ins and the shop's uninstall and redaction", () => {
  const h = harnessPerTest({}, { background: false }, configureShop);
  const shopWith = (token: string) => fetch(`${h.url}/admin/api/shop`, { headers: { authorization: `Bearer ${token}` } });
  /** A sign-in made `offsetMs` from now, valid 8 hours (npm run cli -- admin:login). */
  const signIn = (offsetMs: number) => signSessionToken(h.app.ctx.config, SHOP, 8 * 3600, Date.now() + offsetMs);

  it("refuses a token issued before app/uninstalled after it, and one issued before shop/redact after that; later ones count", async () => {
    const beforeUninstall = signIn(-60_000);
    expect((await shopWith(beforeUninstall)).status).toBe(200);

    expect((await postWebhook(h.url, JSON.stringify({ id: 1, myshopify_domain: SHOP }), { topic: "app/uninstalled" })).status).toBe(200);
    await h.app.processor!.runOnce();
    const refused = await shopWith(beforeUninstall);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toMatch(/issued before the app was uninstalled/);
    // Embedded, App Bridge is asked for a token issued now, which passes.
    expect(refused.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
    const afterUninstall = signIn(2_000);
    expect((await shopWith(afterUninstall)).status).toBe(200);

    expect((await postWebhook(h.url, JSON.stringify({ shop_id: 1, shop_domain: SHOP }), { topic: "shop/redact" })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100)); // the redaction comes after that sign-in
    await h.app.processor!.runOnce();
    expect((await shopWith(afterUninstall)).status).toBe(401);
    expect((await shopWith(beforeUninstall)).status).toBe(401);
    expect((await shopWith(signIn(2_000))).status).toBe(200);
  });
});
