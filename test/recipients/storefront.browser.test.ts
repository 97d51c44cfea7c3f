import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import express from "express";
import type { BrowserContext } from "playwright-core";
import { browserDescribe, CHROMIUM, launchChromium } from "../helpers/browser";
import { startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { nowSeconds, signedProxyQuery } from "../helpers/proxy";

/**
 * The storefront script in a real browser (Debian's chromium, driven by playwright-core): a shop
 * page loads it from the app's origin, a fake JoinChat SDK calls the callback on a click, and the
 * test's "shop" server records the two calls the script must make. The shop server also plays
 * Shopify's app proxy: it signs the query as Shopify documents and forwards to the real app, so
 * the click ends as a link in the app's database.
 */
const describeBrowser = browserDescribe("storefront");

const SDK_URL = "https://sdk.joinchat.test/v1/sdk.js";
const UUID = "jc_8f3a2b1c-Visitor_42";

/** JoinChat's SDK, faked: a plugin button that hands its uuid to the callback the page defined, as the real one does. */
const fakeSdk = (uuid: string) => `
  (function () {
    var button = document.createElement("button");
    button.id = "joinchat-send-to-messenger";
    button.textContent = "Send to Messenger";
    button.addEventListener("click", function () { window.joinchatSendToMessengerCallback(${JSON.stringify(uuid)}); });
    document.body.appendChild(button);
  })();
`;

/** Where JoinChat serves a plugin's own SDK script (its install code), as the app block's plugin id names it. */
const PLUGIN_SDK = "https://joinchat.ai/js/analytics/sdk/";
const PLUGIN_ID = "15150c9d53ccc1eb21ffef1af5b6b184";

/** A plugin's SDK, faked: its button where its script stands (in the block's placeholder), handing the uuid on a click. */
const fakePluginSdk = (id: string, uuid: string) => `
  (function () {
    var button = document.createElement("button");
    button.className = "joinchat-plugin-button";
    button.setAttribute("data-plugin", ${JSON.stringify(id)});
    button.textContent = "Send to Messenger";
    button.addEventListener("click", function () { window.joinchatSendToMessengerCallback(${JSON.stringify(uuid)}); });
    document.currentScript.parentNode.appendChild(button);
  })();
`;

/** The placeholder the app block (blocks/messenger-plugin.liquid) writes for a plugin id. */
const pluginBlock = (id: string) =>
  `<div class="joinchat-plugin joinchat-plugin--send_to_messenger" style="text-align: center; margin: 12px 0;" data-joinchat-plugin="${id}" data-joinchat-plugin-type="send_to_messenger"></div>`;

/** The app embed's settings and their defaults, from the block's own schema (blocks/app-embed.liquid). */
const EMBED = fs.readFileSync(path.resolve(__dirname, "../../extensions/joinchat-embed/blocks/app-embed.liquid"), "utf8");
const EMBED_SETTINGS = (JSON.parse(/\{% schema %\}([\s\S]*?)\{% endschema %\}/.exec(EMBED)![1]!) as { settings: { id: string; default: string }[] }).settings;
const embedDefault = (id: string) => EMBED_SETTINGS.find((x) => x.id === id)!.default;

/** The <script> tag the app embed writes, for the given settings (what its Liquid renders). */
const scriptTag = (src: string, prefix: string, subpath: string) => `<script src="${src}" data-proxy-prefix="${prefix}" data-proxy-subpath="${subpath}" defer></script>`;

interface Recorded {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
  /** What the app answered through the proxy. */
  answer?: string;
}

async function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describeBrowser("storefront script in headless Chromium", () => {
  let h: Harness;
  let appOrigin: { url: string; close: () => Promise<void> };
  let shopOrigin: { url: string; close: () => Promise<void> };
  let context: BrowserContext | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const recorded: Recorded[] = [];
  /** The proxy path of each config read. */
  const configReads: string[] = [];
  /** Where the shop has the app proxy: the toml's path, and the one a merchant moved it to. */
  const proxyPaths = new Set(["/apps/joinchat", "/a/jc-links"]);
  beforeEach(() => {
    recorded.length = 0;
    configReads.length = 0;
  });

  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM)).toBe(true);
    h = await startHarness({}, { background: false });
    // The SDK URL the merchant set in the app's admin: what the storefront must load.
    await h.app.ctx.shops.upsert(SHOP, { settings: { sdkUrl: SDK_URL } });

    // Shopify's CDN, played by the test: it serves the theme app extension's assets as they are.
    const appServer = express();
    appServer.use(express.static(path.resolve(__dirname, "../../extensions/joinchat-embed/assets")));
    appOrigin = await listen(appServer);

    const shop = express();
    // The shop's page with the app embed on: its settings as the merchant left them (the defaults) or set them.
    shop.get("/", (req, res) => {
      const prefix = typeof req.query.prefix === "string" ? req.query.prefix : embedDefault("proxy_prefix");
      const subpath = typeof req.query.subpath === "string" ? req.query.subpath : embedDefault("proxy_subpath");
      res.type("html").send(`<!doctype html><html><head><title>Demo store</title>
        ${scriptTag(`${appOrigin.url}/joinchat.js`, prefix, subpath)}
        </head><body><h1>Demo store</h1></body></html>`);
    });
    // The cart page with the app block placed on it, once per id in ?plugins= (as Liquid escaped it).
    shop.get("/cart", (req, res) => {
      const ids = typeof req.query.plugins === "string" ? req.query.plugins.split(",") : [];
      const escape = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      res.type("html").send(`<!doctype html><html><head><title>Cart</title>
        ${scriptTag(`${appOrigin.url}/joinchat.js`, embedDefault("proxy_prefix"), embedDefault("proxy_subpath"))}
        </head><body><h1>Your cart</h1>${ids.map((id) => pluginBlock(escape(id))).join("")}</body></html>`);
    });
    shop.use(express.json());
    // Shopify's app proxy, played by the test, at whatever prefix and subpath the shop has it on
    // (PROXY_PATHS): sign the query as Shopify does, forward to the app.
    const proxied = (req: express.Request) => `/${req.params.prefix}/${req.params.subpath}`;
    shop.get("/:prefix/:subpath/config", async (req, res, next) => {
      if (!proxyPaths.has(proxied(req))) return next();
      configReads.push(proxied(req));
      const query = signedProxyQuery({ shop: SHOP, path_prefix: proxied(req), logged_in_customer_id: "", timestamp: nowSeconds() });
      const answer = await fetch(`${h.url}/proxy/config?${query}`);
      res
        .status(answer.status)
        .type("json")
        .send(await answer.text());
    });
    shop.post("/:prefix/:subpath/link", async (req, res, next) => {
      if (!proxyPaths.has(proxied(req))) return next();
      const query = signedProxyQuery({ shop: SHOP, path_prefix: proxied(req), logged_in_customer_id: "", timestamp: nowSeconds() });
      const answer = await fetch(`${h.url}/proxy/link?${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(req.body) });
      const text = await answer.text();
      // Recorded once the app has answered, so the test sees the link the answer reports.
      recorded.push({ method: req.method, path: req.originalUrl, contentType: req.get("content-type"), body: req.body, answer: `${answer.status} ${text}` });
      res.status(answer.status).type("json").send(text);
    });
    shop.post("/cart/update.js", (req, res) => {
      recorded.push({ method: req.method, path: req.originalUrl, contentType: req.get("content-type"), body: req.body });
      res.json({ token: "cart-token", attributes: (req.body as { attributes?: unknown }).attributes ?? {}, items: [] });
    });
    shopOrigin = await listen(shop);

    browser = await launchChromium();
    context = browser.context;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await shopOrigin?.close();
    await appOrigin?.close();
    await h?.close();
  });

  it("defines joinchatSendToMessengerCallback, loads the SDK, and on a click links the uuid through the app proxy and writes the joinchat_uuid cart attribute", async () => {
    const page = await context!.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    // The merchant's SDK URL is https on JoinChat's domain: answered here, nothing leaves the machine.
    let sdkLoads = 0;
    await page.route(SDK_URL, (route) => {
      sdkLoads++;
      return route.fulfill({ status: 200, contentType: "application/javascript", body: fakeSdk(UUID) });
    });

    await page.goto(`${shopOrigin.url}/`);
    await page.waitForSelector("#joinchat-send-to-messenger");
    expect(sdkLoads).toBe(1);
    expect(configReads).toEqual(["/apps/joinchat"]);
    expect(await page.evaluate("typeof window.joinchatSendToMessengerCallback")).toBe("function");
    expect(recorded).toEqual([]);

    await page.click("#joinchat-send-to-messenger");
    const deadline = Date.now() + 10_000;
    while (recorded.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));

    const byPath = Object.fromEntries(recorded.map((r) => [r.path, r]));
    expect(Object.keys(byPath).sort()).toEqual(["/apps/joinchat/link", "/cart/update.js"]);
    expect(byPath["/apps/joinchat/link"]).toEqual({
      method: "POST",
      path: "/apps/joinchat/link",
      contentType: "application/json",
      body: { uuid: UUID, page: "/" },
      answer: '200 {"ok":true,"linked":"anonymous"}',
    });
    expect(byPath["/cart/update.js"]).toEqual({ method: "POST", path: "/cart/update.js", contentType: "application/json", body: { attributes: { joinchat_uuid: UUID } } });

    // The click ended as an anonymous link in the app, through the (test's) signed proxy.
    const link = await h.app.ctx.links.find(SHOP, UUID);
    expect(link).toMatchObject({ uuid: UUID, customerId: null, source: "proxy" });

    // No uuid in any URL, and no call beyond the shop, the app's script and JoinChat's SDK.
    expect(page.url()).toBe(`${shopOrigin.url}/`);
    expect(requests.filter((u) => u.includes(UUID))).toEqual([]);
    const allowed = [shopOrigin.url, appOrigin.url, SDK_URL];
    expect(requests.filter((u) => !allowed.some((a) => u.startsWith(a)))).toEqual([]);
    await page.close();
  });

  /** Opens the shop's page with the embed's settings `query`, clicks the plugin (handing `uuid`), and returns the requests the page made. */
  async function clickOn(query: string, uuid: string): Promise<string[]> {
    const page = await context!.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    await page.route(SDK_URL, (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: fakeSdk(uuid) }));
    await page.goto(`${shopOrigin.url}/?${query}`);
    await page.click("#joinchat-send-to-messenger");
    const deadline = Date.now() + 10_000;
    while (recorded.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await page.close();
    return requests;
  }

  it("mounts the app block's plugin in its placeholder, once per plugin on the page, next to the shop-wide SDK, and its click links the uuid", async () => {
    const page = await context!.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    const uuid = "jc_cart-block_9";
    const pluginLoads: string[] = [];
    await page.route(`${PLUGIN_SDK}**`, (route) => {
      pluginLoads.push(route.request().url());
      return route.fulfill({ status: 200, contentType: "application/javascript", body: fakePluginSdk(PLUGIN_ID, uuid) });
    });
    await page.route(SDK_URL, (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: fakeSdk("jc_shop-wide") }));

    // Two blocks of the same plugin, and one whose id is not a plain id (it must make no URL).
    await page.goto(`${shopOrigin.url}/cart?plugins=${PLUGIN_ID},${PLUGIN_ID},${encodeURIComponent('../x"><img src=y>')}`);
    await page.waitForSelector(".joinchat-plugin-button");
    await page.waitForSelector("#joinchat-send-to-messenger");
    expect(pluginLoads).toEqual([`${PLUGIN_SDK}${PLUGIN_ID}.js`]);
    // The plugin's script, and so its button, in the first placeholder; the shop-wide SDK in <head>.
    expect(await page.evaluate(`document.querySelector("[data-joinchat-plugin] > script[data-joinchat-sdk]").getAttribute("src")`)).toBe(`${PLUGIN_SDK}${PLUGIN_ID}.js`);
    expect(await page.evaluate(`document.querySelectorAll(".joinchat-plugin-button").length`)).toBe(1);
    expect(await page.evaluate(`document.head.querySelector("script[data-joinchat-sdk]").getAttribute("src")`)).toBe(SDK_URL);
    expect(await page.evaluate(`document.querySelectorAll("img").length`)).toBe(0);

    await page.click(".joinchat-plugin-button");
    const deadline = Date.now() + 10_000;
    while (recorded.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(recorded.map((r) => [r.path, r.body]).sort()).toEqual([
      ["/apps/joinchat/link", { uuid, page: "/cart" }],
      ["/cart/update.js", { attributes: { joinchat_uuid: uuid } }],
    ]);
    // The page it was clicked on is kept with the link, for the merchant's Subscribers list.
    expect(await h.app.ctx.links.find(SHOP, uuid)).toMatchObject({ uuid, customerId: null, source: "proxy", optInPage: "/cart" });
    const allowed = [shopOrigin.url, appOrigin.url, SDK_URL, `${PLUGIN_SDK}${PLUGIN_ID}.js`];
    expect(requests.filter((u) => !allowed.some((a) => u.startsWith(a)))).toEqual([]);
    await page.close();
  });

  it("does not load the shop-wide SDK again when it is the block's plugin", async () => {
    const pluginUrl = `${PLUGIN_SDK}${PLUGIN_ID}.js`;
    await h.app.ctx.shops.upsert(SHOP, { settings: { sdkUrl: pluginUrl } });
    try {
      const page = await context!.newPage();
      let loads = 0;
      await page.route(pluginUrl, (route) => (loads++, route.fulfill({ status: 200, contentType: "application/javascript", body: fakePluginSdk(PLUGIN_ID, "jc_once") })));
      await page.goto(`${shopOrigin.url}/cart?plugins=${PLUGIN_ID}`);
      await page.waitForSelector(".joinchat-plugin-button");
      // The config read (which names the same URL) has come back before the count is taken.
      const deadline = Date.now() + 10_000;
      while (configReads.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      await page.waitForTimeout(300);
      expect(configReads).toEqual(["/apps/joinchat"]);
      expect(loads).toBe(1);
      expect(await page.evaluate(`document.querySelectorAll("script[data-joinchat-sdk]").length`)).toBe(1);
      await page.close();
    } finally {
      await h.app.ctx.shops.upsert(SHOP, { settings: { sdkUrl: SDK_URL } });
    }
  });

  it("reaches the app through the prefix and subpath the merchant moved the proxy to, set in the embed's settings, and never through /apps/", async () => {
    expect(embedDefault("proxy_prefix")).toBe("apps");
    const uuid = "jc_moved-proxy_7";
    const requests = await clickOn("prefix=a&subpath=jc-links", uuid);
    expect(configReads).toEqual(["/a/jc-links"]);
    expect(recorded.map((r) => [r.path, r.answer ?? null]).sort()).toEqual([
      ["/a/jc-links/link", '200 {"ok":true,"linked":"anonymous"}'],
      ["/cart/update.js", null],
    ]);
    expect(requests.filter((p) => p.startsWith("/apps/"))).toEqual([]);
    expect(await h.app.ctx.links.find(SHOP, uuid)).toMatchObject({ uuid, customerId: null, source: "proxy" });
  });

  it("reads a prefix Shopify does not offer, or a subpath with a slash or dots, as the app's own path: never a request elsewhere", async () => {
    const uuid = "jc_bad-settings_8";
    const requests = await clickOn(`prefix=${encodeURIComponent("//evil.example")}&subpath=${encodeURIComponent("../admin")}`, uuid);
    expect(configReads).toEqual(["/apps/joinchat"]);
    expect(recorded.map((r) => r.path).sort()).toEqual(["/apps/joinchat/link", "/cart/update.js"]);
    expect(requests.filter((p) => p.includes("admin") || p.includes("evil"))).toEqual([]);
  });
});
