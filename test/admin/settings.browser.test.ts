import path from "node:path";
import type { Page } from "playwright-core";
import { adminInBrowser, ARTIFACTS, browserDescribe, expectPlainWords } from "../helpers/browser";
import { PAGE, SHOP } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";
import { APP_BRIDGE_STUB, APP_BRIDGE_URL, type AppBridgeCalls } from "../helpers/app-bridge-stub";
import { signSessionToken } from "../../src/shopify/session-token";

/**
 * Settings in sections that save on their own, and refusals shown under the fields they are about,
 * every one at once: standalone (each section's own Save) and embedded (App Bridge's save bar,
 * stubbed), at a desktop's 1280 px and a phone's 390 px.
 */
browserDescribe("settings")("Settings sections and field errors (headless Chromium)", () => {
  jest.setTimeout(90_000);
  const { h, newPage, openAdmin } = adminInBrowser({ background: false }, configureShop);

  /** The error Polaris shows under the field labelled `label` (the element its input is described by), or null. */
  const errorUnder = async (page: Page, label: string): Promise<string | null> => {
    const ids = ((await page.getByLabel(label, { exact: true }).getAttribute("aria-describedby")) ?? "").split(" ").filter((id) => id.endsWith("Error"));
    const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
    return texts.join("") || null;
  };
  const saveButton = (page: Page, section: string) => page.getByRole("button", { name: `Save ${section}`, exact: true });
  const disabled = (page: Page, section: string) => page.locator(`button[aria-label="Save ${section}"][aria-disabled=true]:not([aria-busy=true])`).waitFor();

  for (const width of [1280, 390]) {
    it(`standalone at ${width} px: every refusal under its field at once; one section saves while another keeps its unsaved edits`, async () => {
      await h.app.ctx.shops.upsert(SHOP, { settings: { language: "en" } });
      const page = await openAdmin("settings");
      await page.setViewportSize({ width, height: 900 });
      await page.getByText("Stored: ••••cret").waitFor();
      const before = JSON.stringify(await h.app.ctx.shops.find(SHOP));

      // Two refusals in one section: both shown, each under its own field, nothing stored.
      await page.getByLabel("Facebook page id").fill("my page");
      await page.getByLabel("JoinChat SDK script URL").fill("https://cdn.example.com/sdk.js");
      await saveButton(page, "JoinChat").click();
      await page.getByText("Not saved: fix the 2 fields marked above").waitFor();
      expect(await errorUnder(page, "Facebook page id")).toBe("must be the numeric Facebook page id");
      expect(await errorUnder(page, "JoinChat SDK script URL")).toBe("must be JoinChat's own script, on joinchat.ai (copy it from JoinChat → SDK management)");
      expect(JSON.stringify(await h.app.ctx.shops.find(SHOP))).toBe(before);

      // Another section saves on its own: only its change is sent, the JoinChat edits stay unsaved and marked.
      await page.getByLabel("Message language").selectOption("zh");
      await saveButton(page, "Recipients and language").click();
      await disabled(page, "Recipients and language");
      const shop = (await h.app.ctx.shops.find(SHOP))!;
      expect([shop.settings.language, shop.pageId, shop.settings.sdkUrl]).toEqual(["zh", PAGE, undefined]);
      expect(await page.getByLabel("Facebook page id").inputValue()).toBe("my page");
      expect(await errorUnder(page, "Facebook page id")).toBe("must be the numeric Facebook page id");

      // A recall step past 23 hours and a coupon code cleared while everyone gets it: refused, saying why.
      await page.getByLabel("Abandoned-checkout recall delays (minutes)").fill("60, 1500");
      await saveButton(page, "Automations").click();
      await page.getByText("1500 minutes is past 23 hours", { exact: false }).first().waitFor();
      expect(await errorUnder(page, "Abandoned-checkout recall delays (minutes)")).toMatch(/^1500 minutes is past 23 hours: a recall goes only within 24 hours/);
      await page.getByLabel("Coupon code").fill("");
      await saveButton(page, "Welcome coupon").click();
      await page.getByText("must not be empty while everyone gets the same code", { exact: false }).first().waitFor();
      expect(await errorUnder(page, "Coupon code")).toMatch(/^must not be empty while everyone gets the same code/);
      // A code past Shopify's limit hears of its length.
      await page.getByLabel("Coupon code").fill("A".repeat(700));
      await saveButton(page, "Welcome coupon").click();
      await page.getByText("is 700 characters: at most 255, Shopify's limit for a discount code").first().waitFor();
      expect((await h.app.ctx.shops.find(SHOP))!.couponCode).toBe("WELCOME10");
      // Every section's refusals stay marked until that section is saved or discarded.
      expect(await errorUnder(page, "Facebook page id")).toBe("must be the numeric Facebook page id");
      expect(await errorUnder(page, "Abandoned-checkout recall delays (minutes)")).toMatch(/^1500 minutes is past 23 hours/);
      await expectPlainWords(page);

      // Each section's Save sits at the foot of its own card: nothing long above it.
      const figures = await page.evaluate<{ page: number; saves: number; longestGap: number }>(`(() => {
        const saves = [...document.querySelectorAll('button[aria-label^="Save "]')].map((b) => b.getBoundingClientRect().bottom + scrollY);
        const gaps = saves.slice(1).map((y, i) => y - saves[i]);
        return { page: document.documentElement.scrollHeight, saves: saves.length, longestGap: Math.round(Math.max(...gaps)) };
      })()`);
      console.log(`settings at ${width} px: page ${figures.page} px, ${figures.saves} save buttons, at most ${figures.longestGap} px between two`);
      expect(figures.saves).toBe(13);
      expect(figures.longestGap).toBeLessThan(width === 390 ? 1500 : 1000);
      expect(await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth")).toBeLessThanOrEqual(1);
      await page.screenshot({ path: path.join(ARTIFACTS, `settings-sections-${width}px.png`), fullPage: true });

      // Discard puts a section back as saved, and its marks go.
      await page.getByRole("button", { name: "Discard changes to JoinChat" }).click();
      expect(await page.getByLabel("Facebook page id").inputValue()).toBe(PAGE);
      expect(await errorUnder(page, "Facebook page id")).toBeNull();
      await page.close();
    });
  }

  it("embedded at 390 px: App Bridge's save bar saves the changed sections together, and a refusal marks every field at fault", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.exposeFunction("nextToken", () => signSessionToken(h.app.ctx.config, SHOP, 60));
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) =>
      route.request().url() === APP_BRIDGE_URL ? route.fulfill({ contentType: "text/javascript", body: APP_BRIDGE_STUB }) : route.abort(),
    );
    await page.goto(`${h.url}/?shop=${SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtbw&embedded=1`);
    await page.getByText("Stored: ••••cret").waitFor({ timeout: 10_000 });
    const calls = () => page.evaluate<AppBridgeCalls>("window.appBridgeCalls");
    const before = JSON.stringify(await h.app.ctx.shops.find(SHOP));

    await page.getByLabel("JoinChat SDK script URL").fill("http://joinchat.ai/sdk.js");
    await page.getByLabel("Abandoned-checkout recall delays (minutes)").fill("60, 1440");
    await page.getByLabel("Holdout: checkouts that get no recall (%)").fill("70");
    await page.waitForFunction("window.appBridgeCalls.saveBar.at(-1)?.join() === 'show,settings-save-bar'");
    await page.locator("ui-save-bar#settings-save-bar > button[variant=primary]").dispatchEvent("click");
    await page.waitForFunction("window.appBridgeCalls.toasts.length === 1");
    expect((await calls()).toasts[0]).toEqual({ message: expect.stringMatching(/^Not saved: 3 fields need a change, each marked/), isError: true });
    expect(await errorUnder(page, "JoinChat SDK script URL")).toMatch(/^must be an https URL/);
    expect(await errorUnder(page, "Abandoned-checkout recall delays (minutes)")).toMatch(/^1440 minutes is past 23 hours/);
    expect(await errorUnder(page, "Holdout: checkouts that get no recall (%)")).toBe("at most 50%");
    expect(JSON.stringify(await h.app.ctx.shops.find(SHOP))).toBe(before);
    await expectPlainWords(page);
    await page.screenshot({ path: path.join(ARTIFACTS, "settings-embedded-390px.png"), fullPage: true });

    // Fixed, the save bar saves both changed sections at once and goes.
    await page.getByLabel("JoinChat SDK script URL").fill("https://joinchat.ai/js/analytics/sdk/15150c9d53ccc1eb21ffef1af5b6b184.js");
    await page.getByLabel("Abandoned-checkout recall delays (minutes)").fill("60, 1380");
    await page.getByLabel("Holdout: checkouts that get no recall (%)").fill("10");
    await page.locator("ui-save-bar#settings-save-bar > button[variant=primary]").dispatchEvent("click");
    await page.waitForFunction("window.appBridgeCalls.saveBar.at(-1)?.join() === 'hide,settings-save-bar'");
    const shop = (await h.app.ctx.shops.find(SHOP))!;
    expect([shop.settings.sdkUrl, shop.abandonedDelaysMinutes, shop.settings.results.holdoutPercent]).toEqual([
      "https://joinchat.ai/js/analytics/sdk/15150c9d53ccc1eb21ffef1af5b6b184.js",
      [60, 1380],
      10,
    ]);
    expect(await errorUnder(page, "JoinChat SDK script URL")).toBeNull();
    await page.close();
  });
});
