import path from "node:path";
import type { Page } from "playwright-core";
import { adminInBrowser, ARTIFACTS, browserDescribe } from "../helpers/browser";
import { SHOP } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";
import { signSessionToken } from "../../src/shopify/session-token";
import { APP_BRIDGE_STUB, APP_BRIDGE_URL, type AppBridgeCalls } from "../helpers/app-bridge-stub";

const describeBrowser = browserDescribe("app bridge");

describeBrowser("the admin embedded in Shopify admin, App Bridge stubbed (headless Chromium)", () => {
  jest.setTimeout(60_000);
  const { h, newPage, openAdmin } = adminInBrowser({ background: false }, configureShop);
  const fresh = () => signSessionToken(h.app.ctx.config, SHOP, 60);

  /**
   * Opens `at` as Shopify admin frames the app (`host`, `embedded=1`); `tokens` are App Bridge's
   * first session tokens, fresh ones after; `prepare` sees the tab before it loads anything.
   */
  async function openEmbedded(at: string, tokens: (() => string)[] = [], prepare?: (page: Page) => void): Promise<Page> {
    const page = await newPage();
    prepare?.(page);
    const failures: string[] = [];
    page.on("pageerror", (e) => failures.push(e.message));
    (page as Page & { failures?: string[] }).failures = failures;
    await page.exposeFunction("nextToken", () => (tokens.shift() ?? fresh)());
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) =>
      route.request().url() === APP_BRIDGE_URL
        ? route.fulfill({ contentType: "text/javascript", body: APP_BRIDGE_STUB })
        : (failures.push(`external request: ${route.request().url()}`), route.abort()),
    );
    await page.goto(`${h.url}${at}${at.includes("?") ? "&" : "?"}shop=${SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtbw&embedded=1`);
    return page;
  }
  const calls = (page: Page) => page.evaluate<AppBridgeCalls>("window.appBridgeCalls");
  const lastSaveBar = async (page: Page, id: string) => (await calls(page)).saveBar.filter(([, of]) => of === id).at(-1)?.[0];
  const noFailures = (page: Page) => expect((page as Page & { failures?: string[] }).failures).toEqual([]);

  it("lists the six sections in App Bridge's navigation menu instead of tabs, and following a link shows that section in place", async () => {
    const page = await openEmbedded("/");
    await page.getByText(SHOP).first().waitFor({ timeout: 10_000 });
    await page.getByText("Stored: ••••cret").waitFor();
    const links = await page.$$eval("ui-nav-menu > a", (as) => as.map((a) => [a.textContent, a.getAttribute("href"), a.getAttribute("rel")]));
    expect(links).toEqual([
      ["Settings", "/", "home"],
      ["Settings", "/settings", null],
      ["Templates", "/templates", null],
      ["Deliveries", "/deliveries", null],
      ["Subscribers", "/subscribers", null],
      ["Results", "/results", null],
      ["Data requests", "/privacy", null],
    ]);
    expect(await page.getByRole("tab").count()).toBe(0);

    // A click on a menu item reaches its link in the page: the section opens without a reload, the frame's address follows.
    await page.evaluate("window.loadedOnce = true");
    await page.locator('ui-nav-menu > a[href="/templates"]').dispatchEvent("click");
    await page.getByLabel("Message", { exact: true }).waitFor();
    await page.getByRole("heading", { name: "Templates" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/templates");
    expect(new URL(page.url()).searchParams.get("host")).toBe("YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtbw");
    await page.locator('ui-nav-menu > a[href="/deliveries"]').dispatchEvent("click");
    await page.getByRole("heading", { name: "Send a test message" }).waitFor();
    expect(await page.evaluate("window.loadedOnce")).toBe(true);
    await page.goBack();
    await page.getByLabel("Message", { exact: true }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "app-bridge-templates.png"), fullPage: true });
    noFailures(page);
    await page.close();

    // Were App Bridge to load a section's address into the frame afresh, the page opens on it.
    const direct = await openEmbedded("/results");
    await direct.getByRole("heading", { name: "Results" }).waitFor({ timeout: 10_000 });
    expect(await direct.getByText("Stored: ••••cret").count()).toBe(0);
    noFailures(direct);
    await direct.close();
  });

  it("shows the save bar for an unsaved change in Settings and Templates; saving hides it and confirms in App Bridge's toast, a refusal in an error toast", async () => {
    const page = await openEmbedded("/");
    await page.getByText("Stored: ••••cret").waitFor({ timeout: 10_000 });
    // No in-page save button: the save bar is App Bridge's, outside the frame.
    expect(await page.getByRole("button", { name: /^Save / }).count()).toBe(0);
    expect(await lastSaveBar(page, "settings-save-bar")).not.toBe("show");

    await page.getByLabel("Message language").selectOption("zh");
    await page.waitForFunction("window.appBridgeCalls.saveBar.at(-1)?.join() === 'show,settings-save-bar'");
    // App Bridge clicks the save bar's Save button in the page.
    await page.locator("ui-save-bar#settings-save-bar > button[variant=primary]").dispatchEvent("click");
    await page.waitForFunction("window.appBridgeCalls.toasts.length === 1");
    expect((await calls(page)).toasts).toEqual([{ message: "Settings saved", isError: false }]);
    expect(await lastSaveBar(page, "settings-save-bar")).toBe("hide");
    expect((await h.app.ctx.shops.find(SHOP))!.settings.language).toBe("zh");
    // The confirmation is App Bridge's alone: no Polaris toast in the page.
    expect(await page.getByText("Settings saved").count()).toBe(0);

    // A refused value: an error toast, the bar stays for the merchant to fix it.
    await page.getByLabel("Abandoned-checkout recall delays (minutes)").fill("90, 30");
    await page.locator("ui-save-bar#settings-save-bar > button[variant=primary]").dispatchEvent("click");
    await page.waitForFunction("window.appBridgeCalls.toasts.length === 2");
    expect((await calls(page)).toasts[1]).toEqual({ message: expect.stringMatching(/^Not saved: .*delays must increase/), isError: true });
    expect(await lastSaveBar(page, "settings-save-bar")).toBe("show");
    // Discard puts the saved values back and the bar goes.
    await page.locator("ui-save-bar#settings-save-bar > button:not([variant])").dispatchEvent("click");
    await page.waitForFunction("window.appBridgeCalls.saveBar.at(-1)?.join() === 'hide,settings-save-bar'");
    expect(await page.getByLabel("Abandoned-checkout recall delays (minutes)").inputValue()).not.toBe("90, 30");
    expect((await h.app.ctx.shops.find(SHOP))!.abandonedDelaysMinutes).not.toEqual([90, 30]);

    await page.locator('ui-nav-menu > a[href="/templates"]').dispatchEvent("click");
    await page.getByLabel("Button", { exact: true }).fill("Shop again");
    await page.waitForFunction("window.appBridgeCalls.saveBar.at(-1)?.join() === 'show,templates-save-bar'");
    await page.locator("ui-save-bar#templates-save-bar > button[variant=primary]").dispatchEvent("click");
    await page.waitForFunction("window.appBridgeCalls.toasts.length === 3");
    expect((await calls(page)).toasts[2]).toEqual({ message: "Templates saved", isError: false });
    expect(await lastSaveBar(page, "templates-save-bar")).toBe("hide");
    expect((await h.app.ctx.shops.find(SHOP))!.settings.templates).toMatchObject({ "welcome.button": "Shop again" });
    noFailures(page);
    await page.close();
    await h.app.ctx.shops.upsert(SHOP, { settings: { language: "en", templates: {} } });
  });

  it("on a 401 with Shopify's retry header asks App Bridge for a fresh session token and sends the request once more", async () => {
    const expired = () => signSessionToken(h.app.ctx.config, SHOP, 60, Date.now() - 3600_000);
    const answers: { path: string; token: string; status: number; retry: string | null }[] = [];
    const recordApiAnswers = (page: Page) =>
      page.on("response", async (r) => {
        const url = new URL(r.url());
        if (!url.pathname.startsWith("/admin/api/")) return;
        const token = (await r.request().headerValue("authorization")) ?? "";
        answers.push({ path: url.pathname, token, status: r.status(), retry: await r.headerValue("x-shopify-retry-invalid-session-request") });
      });

    /** The requests each API path got while Settings loaded. */
    const requestsPerPath = () => {
      const sent = new Map<string, number>();
      for (const a of answers) sent.set(a.path, (sent.get(a.path) ?? 0) + 1);
      return sent;
    };
    const control = await openEmbedded("/", [], recordApiAnswers);
    await control.getByText("Stored: ••••cret").waitFor({ timeout: 10_000 });
    await control.waitForLoadState("networkidle");
    await control.close();
    const callsPerPath = requestsPerPath();
    expect(answers.every((a) => a.status === 200)).toBe(true);

    // App Bridge's first token has expired by the time the page sends it; the next is fresh.
    answers.length = 0;
    const stale = expired();
    const embedded = await openEmbedded("/", [() => stale], recordApiAnswers);
    await embedded.getByText("Stored: ••••cret").waitFor({ timeout: 10_000 });
    await embedded.waitForLoadState("networkidle");
    const refused = answers.filter((a) => a.token === `Bearer ${stale}`);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ status: 401, retry: "1" });
    // That call was sent once more, with a token of its own, and went through: one request more than without the stale token.
    const again = new Map(callsPerPath).set(refused[0]!.path, callsPerPath.get(refused[0]!.path)! + 1);
    expect(requestsPerPath()).toEqual(again);
    expect(answers.filter((a) => a.token !== `Bearer ${stale}`).every((a) => a.status === 200)).toBe(true);
    expect((await calls(embedded)).idTokens).toBe(answers.length);
    expect(await embedded.getByText("Your session has expired").count()).toBe(0);
    noFailures(embedded);
    await embedded.close();

    // Tokens refused every time (another app's secret): each call is sent twice, no more, and the page says the session has expired.
    answers.length = 0;
    const forged = () => signSessionToken({ ...h.app.ctx.config, SHOPIFY_API_SECRET: "another-apps-secret" }, SHOP, 60);
    const refusedAlways = await openEmbedded(
      "/",
      Array.from({ length: 50 }, () => forged),
      recordApiAnswers,
    );
    await refusedAlways.getByText("Your session has expired").waitFor({ timeout: 10_000 });
    await refusedAlways.waitForLoadState("networkidle");
    const shopCalls = answers.filter((a) => a.path === "/admin/api/shop");
    expect(shopCalls.length).toBeGreaterThan(0);
    expect(shopCalls.every((a) => a.status === 401 && a.retry === "1")).toBe(true);
    expect((await calls(refusedAlways)).idTokens).toBe(answers.length);
    // Each call the page made was sent twice, no more. Which calls it makes before the banner
    // replaces the page depends on timing, so each path is counted against its calls, not the control's.
    const refusedTwice = [...requestsPerPath()];
    expect(refusedTwice.map(([path]) => path)).toContain("/admin/api/shop");
    for (const [path, sent] of refusedTwice) expect([path, sent % 2, sent <= 2 * callsPerPath.get(path)!]).toEqual([path, 0, true]);
    await refusedAlways.close();
  });

  it("standalone (no App Bridge) keeps its tabs, its own save button and the Polaris toast", async () => {
    const page = await openAdmin("settings");
    await page.getByText("Stored: ••••cret").waitFor();
    expect(await page.getByRole("tab").allTextContents()).toEqual(["Settings", "Templates", "Deliveries", "Subscribers", "Results", "Data requests"]);
    expect(await page.locator("ui-nav-menu, ui-save-bar").count()).toBe(0);
    await page.getByLabel("Message language").selectOption("zh");
    await page.getByRole("button", { name: "Save Recipients and language" }).click();
    await page.getByText("Settings saved").waitFor();
    expect((await h.app.ctx.shops.find(SHOP))!.settings.language).toBe("zh");
    await page.getByRole("tab", { name: "Templates" }).click();
    await page.getByLabel("Message", { exact: true }).waitFor();
    expect(new URL(page.url()).hash).toBe("#templates");
    await page.close();
    await h.app.ctx.shops.upsert(SHOP, { settings: { language: "en" } });
  });
});
