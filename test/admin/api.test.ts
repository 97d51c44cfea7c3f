import { harnessPerTest, startHarness, TEST_SHOPIFY_SECRET, type Harness } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { JOINCHAT_SECRET, PAGE, SHOP, seedDeliveries } from "../helpers/deliveries";
import { adminClient } from "../helpers/admin";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";
import { signSessionToken } from "../../src/shopify/session-token";
import { wireBody } from "../../src/messages/wire";
import type { ButtonMessage } from "../../src/messages/schema";

const OTHER = "other-store.myshopify.com";

/** Every admin API route, with a harmless body: each must refuse a request without a valid token. */
const ROUTES: [string, string, unknown?][] = [
  ["GET", "/admin/api/shop"],
  ["PUT", "/admin/api/settings", { language: "zh" }],
  ["GET", "/admin/api/templates"],
  ["PUT", "/admin/api/templates", { templates: { "welcome.button": "Hi" } }],
  ["POST", "/admin/api/preview", { automation: "welcome" }],
  ["GET", "/admin/api/deliveries"],
  ["GET", "/admin/api/deliveries/x"],
  ["POST", "/admin/api/deliveries/x/retry"],
  ["POST", "/admin/api/test-message", { uuid: "u", text: "hi" }],
  ["GET", "/admin/api/results"],
  ["GET", "/admin/api/link-domains"],
  ["GET", "/admin/api/events"],
  ["POST", "/admin/api/events/x/retry"],
  ["GET", "/admin/api/data-requests"],
  ["GET", "/admin/api/data-requests/x"],
  ["GET", "/admin/api/subscribers"],
  ["GET", "/admin/api/subscribers.csv"],
  ["GET", "/admin/api/subscribers/x/messages"],
  ["DELETE", "/admin/api/subscribers/x"],
  ["POST", "/admin/api/setup/confirm", { id: "allowlist", confirmed: true }],
];

describe("admin API", () => {
  let clock: TestClock;
  const h = harnessPerTest({}, () => ({ background: false, clock: (clock = new TestClock()) }), configureShop);

  describe("session tokens", () => {
    const forged = (h: Harness) => signSessionToken({ ...h.app.ctx.config, SHOPIFY_API_SECRET: "another-apps-secret" }, SHOP, 600);
    const expired = (h: Harness) => signSessionToken(h.app.ctx.config, SHOP, 60, Date.now() - 3600_000);
    const otherApp = (h: Harness) => signSessionToken({ ...h.app.ctx.config, SHOPIFY_API_KEY: "another-api-key" }, SHOP, 600);
    it.each([
      ["no token", () => undefined],
      ["a malformed token", () => "Bearer not-a-jwt"],
      ["a token signed with another secret", (h: Harness) => `Bearer ${forged(h)}`],
      ["an expired token", (h: Harness) => `Bearer ${expired(h)}`],
      ["a token for another app", (h: Harness) => `Bearer ${otherApp(h)}`],
    ])("every route refuses %s with 401 and changes nothing", async (_name, auth) => {
      const before = JSON.stringify(await h.app.ctx.shops.find(SHOP));
      for (const [method, path, body] of ROUTES) {
        const header = auth(h);
        const r = await fetch(`${h.url}${path}`, {
          method,
          headers: { ...(header ? { authorization: header } : {}), "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        expect([method, path, r.status]).toEqual([method, path, 401]);
        expect(JSON.stringify(await r.json())).not.toContain("eyJ");
      }
      expect(JSON.stringify(await h.app.ctx.shops.find(SHOP))).toBe(before);
      expect(h.standIn.calls).toHaveLength(0);
    });

    it("answers an expired or invalid token with Shopify's retry header, so App Bridge asks for a fresh one; a missing or accepted one without it", async () => {
      const shopWith = (authorization?: string) => fetch(`${h.url}/admin/api/shop`, { headers: authorization ? { authorization } : {} });
      const retryHeader = (r: globalThis.Response) => [r.status, r.headers.get("x-shopify-retry-invalid-session-request")];
      expect(retryHeader(await shopWith(`Bearer ${expired(h)}`))).toEqual([401, "1"]);
      expect(retryHeader(await shopWith(`Bearer ${forged(h)}`))).toEqual([401, "1"]);
      expect(retryHeader(await shopWith())).toEqual([401, null]);
      expect(retryHeader(await shopWith(`Bearer ${signSessionToken(h.app.ctx.config, SHOP, 600)}`))).toEqual([200, null]);
    });

    it("accepts the token App Bridge would send (HS256 with the app secret, aud = API key) and acts for its dest shop", async () => {
      expect(TEST_SHOPIFY_SECRET).toBe(h.app.ctx.config.SHOPIFY_API_SECRET);
      const r = await adminClient(h)("GET", "/admin/api/shop");
      expect(r.status).toBe(200);
      expect(r.body.shop).toBe(SHOP);
      // Shopify's deep link to the theme editor's App embeds, with this app's embed (client id / block file) to enable.
      expect(r.body.appEmbedUrl).toBe(`https://${SHOP}/admin/themes/current/editor?context=apps&activateAppId=test-api-key/app-embed`);
    });
  });

  it("serves the page shell with the app's API key for App Bridge, framed only by Shopify admin", async () => {
    const r = await fetch(`${h.url}/admin?shop=${SHOP}&host=abc&embedded=1`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-security-policy")).toBe(`frame-ancestors https://admin.shopify.com https://${SHOP};`);
    const html = await r.text();
    expect(html).toContain('<meta name="shopify-api-key" content="test-api-key" />');
    expect(html).toContain("https://cdn.shopify.com/shopifycloud/app-bridge.js");
    expect(html).not.toContain(SHOP);
    const evil = await fetch(`${h.url}/admin?shop=evil.example.com`);
    expect(evil.headers.get("content-security-policy")).toBe("frame-ancestors https://admin.shopify.com;");
    // Outside Shopify admin (no host): the page does not wait on Shopify's CDN.
    expect(await evil.text()).not.toContain("app-bridge.js");
    expect(r.headers.get("cache-control")).toBe("no-cache");
    const script = /<script type="module" src="([^"]+)"/.exec(html)![1]!;
    const bundle = await fetch(`${h.url}${script}`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(1000);
  });

  describe("one shop never reads or changes another's data", () => {
    beforeEach(async () => {
      await h.app.ctx.shops.upsert(OTHER, { pageId: "555", joinchatSecret: "other-secret", couponCode: "OTHER5" });
      await seedDeliveries(h.app.ctx.db, 3, { prefix: "mine" });
      await seedDeliveries(h.app.ctx.db, 2, { shop: OTHER, prefix: "theirs" });
      await h.app.ctx.db.delivery.updateMany({ data: { state: "failed", lastError: "HTTP 400" } });
    });

    it("says, with the delivery log, since when JoinChat has been unreachable while the workers find it so, and nothing once they stop", async () => {
      const api = adminClient(h);
      expect((await api("GET", "/admin/api/deliveries")).body.joinchatOutage).toBeNull();
      const since = new Date(clock.now().getTime() - 90_000);
      await h.app.ctx.joinchatOutage.failed(since, "JoinChat network error: connect ECONNREFUSED", clock.now());
      expect((await api("GET", "/admin/api/deliveries")).body.joinchatOutage).toEqual({ since: since.toISOString(), lastError: "JoinChat network error: connect ECONNREFUSED" });
      // No worker has tried for 5 minutes (they stopped): the record says nothing any more.
      clock.advanceMinutes(5);
      expect((await api("GET", "/admin/api/deliveries")).body.joinchatOutage).toBeNull();
    });

    it("lists, reads and retries only its own messages", async () => {
      const api = adminClient(h);
      const list = await api("GET", "/admin/api/deliveries");
      expect(list.body.deliveries).toHaveLength(3);
      const theirs = await h.app.ctx.db.delivery.findFirstOrThrow({ where: { shopDomain: OTHER } });
      expect((await api("GET", `/admin/api/deliveries/${theirs.id}`)).status).toBe(404);
      expect((await api("POST", `/admin/api/deliveries/${theirs.id}/retry`)).status).toBe(404);
      expect((await h.app.ctx.db.delivery.findUniqueOrThrow({ where: { id: theirs.id } })).state).toBe("failed");
      // The shop is the token's: a shop named in the query or body is ignored.
      const sneaky = await api("GET", `/admin/api/deliveries?shop=${OTHER}&shopDomain=${OTHER}`);
      expect(sneaky.body.deliveries.every((d: any) => !JSON.stringify(d).includes("theirs"))).toBe(true);
      expect((await api("PUT", "/admin/api/settings", { shop: OTHER, language: "zh" })).status).toBe(400);
    });

    it("changes only its own settings and templates, and counts only its own results", async () => {
      const api = adminClient(h);
      await api("PUT", "/admin/api/settings", { language: "zh", couponCode: "MINE20" });
      await api("PUT", "/admin/api/templates", { templates: { "welcome.button": "Mine" } });
      const other = (await h.app.ctx.shops.find(OTHER))!;
      expect([other.settings.language, other.couponCode, other.settings.templates]).toEqual(["en", "OTHER5", {}]);
      const otherView = await adminClient(h, OTHER)("GET", "/admin/api/shop");
      expect(otherView.body.settings.couponCode).toBe("OTHER5");
      const results = await api("GET", "/admin/api/results?days=7");
      expect(results.body.automations.manual.failed.reduce((a: number, b: number) => a + b, 0)).toBe(3);
    });
  });

  describe("settings", () => {
    it("merges a partial change and never returns the JoinChat secret, only its last four characters", async () => {
      const api = adminClient(h);
      const r = await api("PUT", "/admin/api/settings", { automations: { welcome: false }, abandonedDelaysMinutes: [30, 120], uniqueCoupon: { percentage: 15 } });
      expect(r.status).toBe(200);
      expect(r.body.settings.automations).toEqual({ welcome: false, abandoned: true, receipt: true, shipping: true });
      expect(r.body.settings.uniqueCoupon).toEqual({ prefix: "WELCOME", percentage: 15, validDays: 30 });
      expect(r.body.settings.abandonedDelaysMinutes).toEqual([30, 120]);
      expect(JSON.stringify(r.body)).not.toContain(JOINCHAT_SECRET);
      expect(r.body.settings.joinchatSecret).toEqual({ stored: true, masked: `••••${JOINCHAT_SECRET.slice(-4)}` });
      const stored = (await h.app.ctx.shops.find(SHOP))!;
      expect([stored.settings.automations.welcome, stored.abandonedDelaysMinutes, stored.pageId]).toEqual([false, [30, 120], PAGE]);

      await api("PUT", "/admin/api/settings", { joinchatSecret: "new-secret-9z9z" });
      expect(await h.app.ctx.shops.joinchatSecret(SHOP)).toBe("new-secret-9z9z");
    });

    it.each([
      [{ abandonedDelaysMinutes: [60, 30] }, "abandonedDelaysMinutes", /must increase/],
      [{ pageId: "my page" }, "pageId", /numeric Facebook page id/],
      [{ sdkUrl: "javascript:alert(1)" }, "sdkUrl", /https URL/],
      [{ sdkUrl: "http://joinchat.ai/js/analytics/sdk/1.js" }, "sdkUrl", /https URL/],
      [{ sdkUrl: "not a url" }, "sdkUrl", /https URL/],
      [{ couponCode: "10% OFF" }, "couponCode", /letters, digits/],
      [{ uniqueCoupon: { percentage: 150 } }, "uniqueCoupon.percentage", /100/],
      [{ automations: { welcome: "yes" } }, "automations.welcome", /^must be on or off/],
    ])("refuses %j with 400 naming the field, and stores nothing", async (change, field, message) => {
      const before = JSON.stringify(await h.app.ctx.shops.find(SHOP));
      const r = await adminClient(h)("PUT", "/admin/api/settings", change);
      expect(r.status).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.error).toMatch(message);
      expect(JSON.stringify(await h.app.ctx.shops.find(SHOP))).toBe(before);
    });

    it("answers 400 listing every problem of a change with its field path, and stores nothing; a cleared coupon code stays cleared with unique codes", async () => {
      const api = adminClient(h);
      const before = JSON.stringify(await h.app.ctx.shops.find(SHOP));
      const r = await api("PUT", "/admin/api/settings", {
        sdkUrl: "https://cdn.example.com/sdk.js",
        abandonedDelaysMinutes: [60, 1440],
        couponCode: null,
        paymentReminder: { delayMinutes: null },
        language: "zh",
      });
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([
        { field: "sdkUrl", message: "must be JoinChat's own script, on joinchat.ai (copy it from JoinChat → SDK management)" },
        { field: "paymentReminder.delayMinutes", message: "must be a number" },
        { field: "abandonedDelaysMinutes.1", message: expect.stringMatching(/^1440 minutes is past 23 hours/) },
        { field: "couponCode", message: "must not be empty while everyone gets the same code: type the code, or choose a unique code per customer" },
      ]);
      expect([r.body.field, r.body.error]).toEqual([r.body.errors[0].field, r.body.errors[0].message]);
      expect(JSON.stringify(await h.app.ctx.shops.find(SHOP))).toBe(before);

      const cleared = await api("PUT", "/admin/api/settings", { couponMode: "unique", couponCode: null });
      expect([cleared.status, cleared.body.settings.couponCode]).toEqual([200, null]);
      expect((await api("GET", "/admin/api/shop")).body.settings.couponCode).toBeNull();
      await api("PUT", "/admin/api/settings", { couponMode: "static", couponCode: "WELCOME10" });
    });
  });

  describe("templates and preview", () => {
    it("previews the unsaved text with the sender's builder, within the limits, and reports characters left", async () => {
      const api = adminClient(h);
      const r = await api("POST", "/admin/api/preview", { automation: "welcome", templates: { "welcome.text": "Hi {{first_name}}, use {{coupon_code}} at {{shop_name}}" } });
      expect(r.status).toBe(200);
      const m = r.body.message as ButtonMessage;
      expect(m.text).toBe("Hi Alan, use WELCOME10 at Demo Store");
      expect(m.buttons[0]).toMatchObject({ type: "web_url", title: "Shop with coupon", url: `https://${SHOP}/discount/WELCOME10` });
      expect(r.body.tag).toBeNull();
      // Counted as saving checks it: with a 24-character first name, not the sample's "Alan".
      expect(r.body.fields).toContainEqual({ key: "welcome.text", length: m.text.length - "Alan".length + 24, limit: 640, problem: null });
      expect(r.body.buttons).toEqual({ used: 1, limit: 3 });

      const long = await api("POST", "/admin/api/preview", { automation: "welcome", templates: { "welcome.button": "Shop now with your coupon 🎉 today" } });
      const field = long.body.fields.find((f: any) => f.key === "welcome.button");
      expect(field.length).toBeGreaterThan(20);
      expect((long.body.message as ButtonMessage).buttons[0]!.title.length).toBeLessThanOrEqual(20);
      for (const automation of ["welcome", "abandoned", "receipt", "shipping"]) {
        const p = await api("POST", "/admin/api/preview", { automation });
        expect(() => wireBody({ page_id: PAGE, recipient: { uuid: "u" }, message: p.body.message })).not.toThrow();
        for (const alt of p.body.alternatives) expect(() => wireBody({ page_id: PAGE, recipient: { uuid: "u" }, message: alt.message })).not.toThrow();
      }
      // Held past the window by default: the preview names no tag until the shop chooses to send tagged.
      expect((await api("POST", "/admin/api/preview", { automation: "receipt" })).body.tag).toBeNull();
    });

    it("previews a given recall step with its unsaved text and saved coupon, and refuses a coupon for a step the delays do not make", async () => {
      const api = adminClient(h);
      const refused = await api("PUT", "/admin/api/settings", { recallSteps: { coupons: ["10% OFF", null, null, "EXTRA"] } });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        { field: "recallSteps.coupons.0", message: "letters, digits, - and _ only" },
        { field: "recallSteps.coupons.3", message: "there is no recall 4: the delays make 3 recalls; add a delay for it, or leave its coupon empty" },
      ]);
      const saved = await api("PUT", "/admin/api/settings", { recallSteps: { coupons: [null, "COMEBACK10"] } });
      expect(saved.body.settings.recallSteps).toEqual({ coupons: [null, "COMEBACK10"] });
      const second = await api("POST", "/admin/api/preview", {
        automation: "abandoned",
        step: 2,
        templates: { "abandoned.text_2": "Step two for {{first_name}}.{{coupon_phrase}}" },
      });
      expect(second.status).toBe(200);
      const m = second.body.message as ButtonMessage;
      expect(m.text).toBe("Step two for Alan. Use code COMEBACK10: it is applied when you tap below.");
      expect(m.buttons[0]).toMatchObject({ url: `https://${SHOP}/discount/COMEBACK10?redirect=%2Fcheckouts%2Fc%2Fsample` });
      // The step's carts of several items follow, then the other steps, each named with its delay and coupon.
      expect(second.body.alternatives.map((a: { label: string }) => a.label)).toEqual([
        "Cart with several items",
        "Cart with 12 items (the last card names the rest)",
        "Recall 1, 60 minutes after the checkout",
        "Recall 3, 1380 minutes after the checkout",
      ]);
      const first = await api("POST", "/admin/api/preview", { automation: "abandoned" });
      expect((first.body.message as ButtonMessage).text).toMatch(/^Alan, you left something in your cart/);
      expect(first.body.alternatives[2]).toMatchObject({ label: "Recall 2, 480 minutes after the checkout, with coupon COMEBACK10" });
      expect((await api("POST", "/admin/api/preview", { automation: "abandoned", step: 11 })).status).toBe(400);
    });

    it("saves a template that the next real message uses, resets it with null, and refuses unknown placeholders", async () => {
      const api = adminClient(h);
      const saved = await api("PUT", "/admin/api/templates", { templates: { "welcome.text": "Welcome {{first_name}}! Code: {{coupon_code}}" } });
      expect(saved.body.templates.find((t: any) => t.key === "welcome.text")).toMatchObject({ custom: true, text: "Welcome {{first_name}}! Code: {{coupon_code}}" });
      await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, clock.now());
      await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
      await drain(h);
      expect((h.standIn.messages[0]!.body.message as ButtonMessage).text).toBe("Welcome Alan! Code: WELCOME10");

      const bad = await api("PUT", "/admin/api/templates", { templates: { "welcome.text": "Hi {{password}}" } });
      expect([bad.status, bad.body.field]).toEqual([400, "templates.welcome.text"]);
      expect(bad.body.error).toMatch(/unknown placeholder: use \{\{first_name\}\}/);

      const reset = await api("PUT", "/admin/api/templates", { templates: { "welcome.text": null } });
      expect(reset.body.templates.find((t: any) => t.key === "welcome.text")).toMatchObject({ custom: false });
      expect((await h.app.ctx.shops.find(SHOP))!.settings.templates).toEqual({});
    });
  });

  describe("templates checked when saved", () => {
    const refusedWithNothingStored = async (templates: Record<string, string>, field: string, error: RegExp | string) => {
      const before = JSON.stringify(await h.app.ctx.shops.find(SHOP));
      const r = await adminClient(h)("PUT", "/admin/api/templates", { templates });
      expect([r.status, r.body.field]).toEqual([400, field]);
      if (typeof error === "string") expect(r.body.error).toBe(error);
      else expect(r.body.error).toMatch(error);
      expect(JSON.stringify(await h.app.ctx.shops.find(SHOP))).toBe(before);
    };

    it("a promotional shipping template is refused, naming the field and why; so are a coupon's placeholder and Chinese offers in an order's texts", async () => {
      await refusedWithNothingStored(
        { "shipping.text": "FLASH SALE… code SAVE30! Your order {{order_name}} has shipped." },
        "templates.shipping.text",
        'looks promotional ("FLASH SALE", "SAVE30"): Meta forbids promotions in messages that may go past the 24-hour window; keep this message about the order',
      );
      await refusedWithNothingStored(
        { "delivery.delivered": "Delivered! Your next order: {{coupon_code}}" },
        "templates.delivery.delivered",
        /^looks promotional \("\{\{coupon_code\}\}"\)/,
      );
      await refusedWithNothingStored(
        { "payment_reminder.text": "{{order_name}} 尚未付款，付款即享8折优惠" },
        "templates.payment_reminder.text",
        /^looks promotional \("8折", "优惠"\)/,
      );
      await refusedWithNothingStored({ "shipping.button": "Shop the sale" }, "templates.shipping.button", /^looks promotional \("sale"\)/);
      // The welcome and the recall are promotions, inside the window: they may say so.
      expect((await adminClient(h)("PUT", "/admin/api/templates", { templates: { "welcome.text": "Sale! {{coupon_code}}: 20% off" } })).status).toBe(200);
      // An order's text that only looks like one at a glance is saved.
      const plain = await adminClient(h)("PUT", "/admin/api/templates", { templates: { "shipping.text": "Your wholesale order {{order_name}} has shipped{{carrier_phrase}}." } });
      expect(plain.status).toBe(200);
    });

    it("a 700-character welcome template is refused naming 640; a 600-character one with {{coupon_code}} at its end keeps the code whole", async () => {
      const words = (n: number) => "Thanks for joining us. ".repeat(40).slice(0, n);
      await refusedWithNothingStored(
        { "welcome.text": words(700) },
        "templates.welcome.text",
        "700 characters with the longest names, codes and numbers it can carry: at most 640, JoinChat's limit for a message's text",
      );
      await refusedWithNothingStored({ "welcome.button": "Shop now with your coupon today" }, "templates.welcome.button", /at most 20, JoinChat's limit for a button's title$/);
      // A reward phrase that would push the saved welcome text past its limit is refused in the text's name.
      await adminClient(h)("PUT", "/admin/api/templates", { templates: { "welcome.text": `${words(520)} {{rewards}}` } });
      await refusedWithNothingStored({ "welcome.points": `${words(100)} {{points}}` }, "templates.welcome.text", /at most 640/);

      const head = "Hello {{first_name}}! ";
      const body = words(600 - head.length - "{{coupon_code}}".length);
      const template = `${head}${body}{{coupon_code}}`;
      expect(template).toHaveLength(600);
      const saved = await adminClient(h)("PUT", "/admin/api/templates", { templates: { "welcome.text": template } });
      expect(saved.status).toBe(200);
      await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, clock.now());
      await postWebhook(
        h.url,
        editFixture("customers-create.json", (c) => (c.first_name = "Bartholomew".repeat(30))),
        { topic: "customers/create" },
      );
      await drain(h);
      const text = (h.standIn.messages[0]!.body.message as ButtonMessage).text;
      expect(text.length).toBeLessThanOrEqual(640);
      // The customer's 330-character name was shortened, not the code.
      expect(text.endsWith(`${body.slice(-40)}WELCOME10`)).toBe(true);
      expect(text).toMatch(/^Hello (Bartholomew)+[A-Za-z]*…! Thanks/);
    });

    it("refuses a longer coupon code that would make a saved template cut it, naming the template; a code that fits is saved", async () => {
      const api = adminClient(h);
      const text = `${"Thanks for joining us. ".repeat(30).slice(0, 600)}{{coupon_code}}`;
      expect((await api("PUT", "/admin/api/templates", { templates: { "welcome.text": text } })).status).toBe(200);
      const before = JSON.stringify(await h.app.ctx.shops.find(SHOP));
      const long = await api("PUT", "/admin/api/settings", { couponCode: "C".repeat(50) });
      expect([long.status, long.body.field]).toEqual([400, "couponCode"]);
      expect(long.body.error).toBe(
        "the saved template welcome.text would no longer fit: 650 characters with the longest names, codes and numbers it can carry: at most 640, JoinChat's limit for a message's text; shorten it in Templates first (nothing was saved)",
      );
      expect(JSON.stringify(await h.app.ctx.shops.find(SHOP))).toBe(before);
      expect((await api("PUT", "/admin/api/settings", { couponCode: "SPRING-2026" })).status).toBe(200);
    });

    it("shows the count and the refusal as the merchant types, before saving", async () => {
      const api = adminClient(h);
      const over = await api("POST", "/admin/api/preview", { automation: "shipping", templates: { "shipping.text": "Sale! {{order_name}}", "shipping.button": "T".repeat(25) } });
      expect(over.body.fields).toEqual([
        { key: "shipping.text", length: "Sale! ".length + 20, limit: 640, problem: expect.stringMatching(/^looks promotional \("Sale"\)/) as string },
        { key: "shipping.button", length: 25, limit: 20, problem: expect.stringMatching(/^25 characters .*at most 20/) as string },
      ]);
    });
  });

  describe("delivery log", () => {
    it("pages newest first with filters, masks recipients and shows the exact signed body", async () => {
      await seedDeliveries(h.app.ctx.db, 5, { prefix: "log" });
      await drain(h);
      const api = adminClient(h);
      const first = await api("GET", "/admin/api/deliveries?limit=3&state=sent&automation=manual");
      expect(first.body.deliveries).toHaveLength(3);
      const second = await api("GET", `/admin/api/deliveries?limit=3&state=sent&before=${encodeURIComponent(first.body.next)}`);
      expect(second.body.deliveries).toHaveLength(2);
      expect(second.body.next).toBeNull();
      const all = [...first.body.deliveries, ...second.body.deliveries];
      expect(new Set(all.map((d: any) => d.id)).size).toBe(5);
      const times = all.map((d: any) => Date.parse(d.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      const d = all[0];
      expect(d.recipient).toBe("uuid:u…");
      const sent = h.standIn.messages.find((m) => m.raw === d.sentBody);
      expect(sent).toBeDefined();
      expect((await api("GET", "/admin/api/deliveries?state=failed")).body.deliveries).toHaveLength(0);
      expect((await api("GET", "/admin/api/deliveries?state=lost")).status).toBe(400);
    });

    it("answers a cursor it did not hand out (a time past year 9999, not a cursor at all) with 400 naming `before`", async () => {
      const api = adminClient(h);
      for (const before of ["999999999999999.x", "253402300800000.x", "yesterday"]) {
        const res = await api("GET", `/admin/api/deliveries?before=${encodeURIComponent(before)}`);
        expect([res.status, res.body.field]).toEqual([400, "before"]);
        expect(res.body.error).toMatch(/not a cursor this list handed out/);
      }
      expect((await api("GET", `/admin/api/deliveries?before=${encodeURIComponent("253402300799999.x")}`)).status).toBe(200);
    });

    it("retries a failed message, which is then sent; refuses to retry one that is not failed", async () => {
      h.standIn.set({ failNext: 1, failStatus: 400 });
      await seedDeliveries(h.app.ctx.db, 1, { prefix: "retry" });
      await drain(h);
      const api = adminClient(h);
      const [failed] = (await api("GET", "/admin/api/deliveries?state=failed")).body.deliveries;
      expect(failed.lastError).toMatch(/400/);
      const r = await api("POST", `/admin/api/deliveries/${failed.id}/retry`);
      expect([r.status, r.body.delivery.state]).toEqual([200, "scheduled"]);
      await drain(h);
      expect((await api("GET", `/admin/api/deliveries/${failed.id}`)).body.delivery.state).toBe("sent");
      expect((await api("POST", `/admin/api/deliveries/${failed.id}/retry`)).status).toBe(409);
    });

    it("queues a test message to a subscriber that goes out signed, and refuses a bad uuid or an over-long text", async () => {
      const api = adminClient(h);
      await h.app.ctx.links.link(SHOP, "jc_test-visitor", {}, clock.now());
      const r = await api("POST", "/admin/api/test-message", { uuid: "jc_test-visitor", text: "Hello from the admin" });
      expect([r.status, r.body.delivery.state, r.body.delivery.automation]).toEqual([202, "scheduled", "manual"]);
      await drain(h);
      expect(h.standIn.messages.at(-1)!.body).toEqual({ page_id: PAGE, recipient: { uuid: "jc_test-visitor" }, message: { template_type: "text", text: "Hello from the admin" } });
      expect((await api("GET", `/admin/api/deliveries/${r.body.delivery.id}`)).body.delivery).toMatchObject({ state: "sent", responseStatus: 200 });
      expect((await api("POST", "/admin/api/test-message", { uuid: "bad uuid!", text: "x" })).body.field).toBe("uuid");
      const long = await api("POST", "/admin/api/test-message", { uuid: "u1", text: "x".repeat(641) });
      expect([long.status, long.body.field, long.body.error]).toEqual([400, "text", "at most 640 characters"]);
    });
  });

  describe("JoinChat's contract in the admin", () => {
    it("holds past the window by default, offers only the tags Meta kept in 2020, and refuses a retired one naming why", async () => {
      const api = adminClient(h);
      const shop = await api("GET", "/admin/api/shop");
      expect(shop.body.settings.pastWindow).toBe("hold");
      expect(shop.body.settings.tags).toEqual({ receipt: "POST_PURCHASE_UPDATE", shipping: "POST_PURCHASE_UPDATE" });
      expect(shop.body.tagChoices).toEqual(["POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE"]);
      const saved = await api("PUT", "/admin/api/settings", { pastWindow: "send_tagged", tags: { receipt: "ACCOUNT_UPDATE" } });
      expect(saved.status).toBe(200);
      expect(saved.body.settings.pastWindow).toBe("send_tagged");
      expect(saved.body.settings.tags).toEqual({ receipt: "ACCOUNT_UPDATE", shipping: "POST_PURCHASE_UPDATE" });
      for (const retired of ["PAYMENT_UPDATE", "SHIPPING_UPDATE", "PROMOTION"]) {
        const refused = await api("PUT", "/admin/api/settings", { tags: { receipt: retired } });
        expect([refused.status, refused.body.field]).toEqual([400, "tags.receipt"]);
        expect(refused.body.error).toContain(`${retired} is not a tag the app sends with: Meta retired it`);
      }
      expect((await api("GET", "/admin/api/shop")).body.settings.tags.receipt).toBe("ACCOUNT_UPDATE");
    });

    it("reads a retired tag an earlier version stored as no choice: the default 2026 tag", async () => {
      await h.app.ctx.db.shop.update({ where: { domain: SHOP }, data: { settings: JSON.stringify({ pastWindow: "send_tagged", tags: { receipt: "PAYMENT_UPDATE" } }) } });
      const shop = await adminClient(h)("GET", "/admin/api/shop");
      expect([shop.body.settings.pastWindow, shop.body.settings.tags.receipt]).toEqual(["send_tagged", "POST_PURCHASE_UPDATE"]);
    });

    it("lists the domains the shop's messages link to, for JoinChat's allow-list", async () => {
      const api = adminClient(h);
      expect((await api("GET", "/admin/api/link-domains")).body.domains).toEqual([{ domain: SHOP, automations: ["welcome"] }]);
      await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, clock.now());
      await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
      await drain(h);
      const domains = (await api("GET", "/admin/api/link-domains")).body.domains;
      expect(domains).toEqual([{ domain: SHOP, automations: ["receipt", "welcome"] }]);
    });

    it("shows JoinChat's refusal code and message in the delivery log", async () => {
      h.standIn.set({ unknownRecipients: ["uuid-alan"] });
      await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, clock.now());
      await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
      await drain(h);
      const [d] = (await adminClient(h)("GET", "/admin/api/deliveries")).body.deliveries;
      expect(d).toMatchObject({ state: "failed", joinchatCode: "10010", responseStatus: 200 });
      expect(d.lastError).toMatch(/\(code 10010\): Recipient not found/);
    });
  });

  describe("what failed, and why", () => {
    it("answers a secret saved without ENCRYPTION_KEY with a field error, storing nothing", async () => {
      const keyless = await startHarness({ ENCRYPTION_KEY: "" }, { background: false });
      try {
        const r = await adminClient(keyless)("PUT", "/admin/api/settings", { pageId: "123", joinchatSecret: "s3cret" });
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ error: expect.stringMatching(/ENCRYPTION_KEY on the server first \(nothing was saved\)/), field: "joinchatSecret" });
        expect(await keyless.app.ctx.shops.find(SHOP)).toBeNull();
      } finally {
        await keyless.close();
      }
    });

    it("lists the shop's failed store events with their reason, and retries one", async () => {
      await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, clock.now());
      jest.spyOn(h.app.ctx.links, "newestFor").mockRejectedValue(new Error("links unreadable"));
      await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
      for (let i = 0; i < 8; i++) {
        await h.app.processor!.runOnce();
        clock.advanceMinutes(60);
      }
      const api = adminClient(h);
      const listed = (await api("GET", "/admin/api/events")).body.events;
      expect(listed).toEqual([expect.objectContaining({ topic: "orders/create", state: "failed", note: "links unreadable" })]);
      expect((await adminClient(h, OTHER)("GET", "/admin/api/events")).body.events).toEqual([]);
      expect((await adminClient(h, OTHER)("POST", `/admin/api/events/${listed[0].id}/retry`)).status).toBe(404);
      jest.restoreAllMocks();
      expect((await api("POST", `/admin/api/events/${listed[0].id}/retry`)).status).toBe(200);
      await drain(h);
      expect((await api("GET", "/admin/api/events")).body.events).toEqual([]);
      expect(h.standIn.messages).toHaveLength(1);
    });
  });

  describe("results", () => {
    it("counts messages by automation, state and day, and an order after a sent recall as recovered revenue", async () => {
      await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: "603851970716743426" }, clock.now());
      await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
      await drain(h);
      clock.advanceMinutes(61);
      await drain(h);
      const order = editFixture("orders-create-3.json", (o) => (o.checkout_token = "123123123"));
      await postWebhook(h.url, order, { topic: "orders/create" });
      await postWebhook(h.url, order, { topic: "orders/paid" });
      await drain(h);
      // A second order whose checkout got no recall is not counted.
      await postWebhook(
        h.url,
        editFixture("orders-create-3.json", (o) => ((o.id = "99"), (o.checkout_token = "never-recalled"))),
        { topic: "orders/create" },
      );
      await drain(h);

      const r = await adminClient(h)("GET", "/admin/api/results?days=7");
      expect(r.body.days).toHaveLength(7);
      expect(r.body.days.at(-1)).toBe(clock.now().toISOString().slice(0, 10));
      const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      expect(total(r.body.automations.abandoned.sent)).toBe(1);
      expect(r.body.recovered.orders).toBe(1);
      expect(r.body.recovered.revenue).toEqual([{ currency: "HKD", amount: "439.00" }]);
      expect(total(r.body.recovered.daily)).toBe(1);
    });

    it("counts, per automation, the messages held outside the 24-hour window, with how to bring customers into it", async () => {
      // Opted in two days ago: the receipt falls outside the window and is held by default.
      await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date(clock.now().getTime() - 2 * 86_400_000));
      await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
      await drain(h);
      const r = await adminClient(h)("GET", "/admin/api/results?days=30");
      expect(r.body.outsideWindow).toEqual({ receipt: { count: 1, advice: expect.stringContaining("cart or checkout page") as string } });
      expect(r.body.reasons.receipt[0]).toMatchObject({ state: "skipped", count: 1 });
    });
  });
});
