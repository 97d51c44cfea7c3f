import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { adminInBrowser, ARTIFACTS, browserDescribe } from "../helpers/browser";
import { SHOP, seedDeliveries, waitFor } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";
import { signSessionToken } from "../../src/shopify/session-token";

/**
 * The merchant admin in a real browser (Debian's chromium through playwright-core) against the
 * real app: a real SQLite file, the JoinChat stand-in, the worker running. A screenshot of each
 * page is written to test/artifacts/ for review.
 */
const describeBrowser = browserDescribe("admin");

describeBrowser("merchant admin in headless Chromium", () => {
  jest.setTimeout(60_000);
  const { h, newPage } = adminInBrowser({ worker: { pollMs: 50 } }, configureShop);

  /** Opens a page of the admin signed in as the shop, the way `admin:login` hands it out. */
  async function open(hash: string): Promise<Page> {
    const page = await newPage();
    const failures: string[] = [];
    page.on("pageerror", (e) => failures.push(e.message));
    // Nothing may leave the machine: the standalone page must not need Shopify's CDN.
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => (failures.push(`external request: ${route.request().url()}`), route.abort()));
    await page.goto(`${h.url}/admin?token=${signSessionToken(h.app.ctx.config, SHOP, 3600)}#${hash}`);
    await page
      .getByText(SHOP)
      .first()
      .waitFor({ timeout: 10_000 })
      .catch((err: Error) => {
        throw new Error(`${err.message.split("\n")[0]}; page errors: ${failures.join("; ") || "none"}`);
      });
    expect(page.url()).not.toContain("token=");
    (page as Page & { failures?: string[] }).failures = failures;
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `admin-${name}.png`), fullPage: true });
  const noFailures = (page: Page) => expect((page as Page & { failures?: string[] }).failures).toEqual([]);

  it("changes settings, saves them, and shows them again after a reload", async () => {
    const page = await open("settings");
    await page.getByText("Stored: ••••cret").waitFor();
    await page.getByRole("checkbox", { name: "Welcome coupon" }).uncheck();
    await page.getByLabel("Abandoned-checkout recall delays (minutes)").fill("30, 90, 600");
    await page.getByLabel("Message language").selectOption("zh");
    await page.getByRole("button", { name: "Save Automations" }).click();
    await page.getByText("Settings saved").waitFor();
    await page.getByRole("button", { name: "Save Recipients and language" }).click();
    await page.getByText("Settings saved").first().waitFor();
    await page.getByRole("button", { name: "Save Recipients and language" }).and(page.locator("[aria-disabled=true]:not([aria-busy=true])")).waitFor();
    const shop = (await h.app.ctx.shops.find(SHOP))!;
    expect([shop.settings.automations.welcome, shop.abandonedDelaysMinutes, shop.settings.language]).toEqual([false, [30, 90, 600], "zh"]);

    // A bad value is refused on its field and nothing is stored.
    await page.getByLabel("Abandoned-checkout recall delays (minutes)").fill("90, 30");
    await page.getByRole("button", { name: "Save Automations" }).click();
    await page.getByText("delays must increase", { exact: false }).first().waitFor();
    expect((await h.app.ctx.shops.find(SHOP))!.abandonedDelaysMinutes).toEqual([30, 90, 600]);

    await page.reload();
    await page.getByText(SHOP).first().waitFor();
    await expect(page.getByLabel("Abandoned-checkout recall delays (minutes)").inputValue()).resolves.toBe("30, 90, 600");
    expect(await page.getByRole("checkbox", { name: "Welcome coupon" }).isChecked()).toBe(false);
    await shot(page, "settings");
    noFailures(page);
    await h.app.ctx.shops.upsert(SHOP, { settings: { language: "en", automations: { welcome: true, abandoned: true, receipt: true, shipping: true } } });
    await page.close();
  });

  it("previews a template as the merchant types, with the characters left, and saves it", async () => {
    const page = await open("templates");
    const field = page.getByLabel("Message", { exact: true });
    await field.waitFor();
    const preview = page.getByTestId("messenger-preview").first();
    await preview.getByText("Here is your welcome coupon", { exact: false }).waitFor();

    await field.fill("Hi {{first_name}}, {{coupon_code}} is yours");
    await preview.getByText("Hi Alan, WELCOME10 is yours").waitFor();
    // Counted as saving checks it: with a 24-character first name, not the sample's "Alan".
    const counted = "Hi , WELCOME10 is yours".length + 24;
    await page.getByTestId("count-welcome.text").getByText(`${counted} / 640 characters`, { exact: false }).waitFor();

    await page.getByLabel("Button", { exact: true }).fill("A button title that is far too long");
    await page.getByTestId("count-welcome.button").getByText("35 / 20 characters: 15 over, shorten it to save", { exact: false }).waitFor();
    await page.getByText("35 characters with the longest names, codes and numbers it can carry: at most 20, JoinChat's limit for a button's title").waitFor();
    await page.getByLabel("Button", { exact: true }).fill("Use it now");
    await preview.getByText("Use it now").waitFor();

    await page.getByRole("button", { name: "Save templates" }).click();
    await page.getByText("Templates saved").waitFor();
    expect((await h.app.ctx.shops.find(SHOP))!.settings.templates).toEqual({ "welcome.text": "Hi {{first_name}}, {{coupon_code}} is yours", "welcome.button": "Use it now" });

    await page.getByLabel("Automation").selectOption("abandoned");
    await page.getByText("Cart with several items").waitFor();
    await shot(page, "templates");

    // An order's text that reads as a promotion: said as the merchant types, and refused on save.
    await page.getByLabel("Automation").selectOption("shipping");
    await page.getByLabel("Message", { exact: true }).fill("FLASH SALE: your order {{order_name}} has shipped");
    await page.getByText('looks promotional ("FLASH SALE")', { exact: false }).waitFor();
    await page.getByRole("button", { name: "Save templates" }).click();
    await page.getByText('looks promotional ("FLASH SALE")', { exact: false }).waitFor();
    expect((await h.app.ctx.shops.find(SHOP))!.settings.templates["shipping.text"]).toBeUndefined();
    noFailures(page);
    await page.close();
  });

  it("turns on delivery updates and the payment reminder, each explained, and previews their messages", async () => {
    const page = await open("settings");
    await page.getByText("Stored: ••••cret").waitFor();
    await page.getByText("The carrier tried to deliver but could not", { exact: false }).waitFor();
    expect(await page.getByRole("checkbox", { name: "Out for delivery" }).isChecked()).toBe(false);
    expect(await page.getByRole("checkbox", { name: "Remind customers to pay an unpaid order" }).isChecked()).toBe(false);
    await page.getByRole("checkbox", { name: "Out for delivery" }).check();
    await page.getByRole("checkbox", { name: "Remind customers to pay an unpaid order" }).check();
    await page.getByLabel("Send it after (minutes)").fill("2000");
    await page.getByRole("button", { name: "Save Payment reminder" }).click();
    await page.getByText("at most 1,380 minutes", { exact: false }).first().waitFor();
    await page.getByLabel("Send it after (minutes)").fill("90");
    await page.getByRole("button", { name: "Save Payment reminder" }).click();
    await page.getByText("Settings saved").waitFor();
    await page.getByRole("button", { name: "Save Delivery updates" }).click();
    await page.getByRole("button", { name: "Save Delivery updates" }).and(page.locator("[aria-disabled=true]:not([aria-busy=true])")).waitFor();
    const shop = (await h.app.ctx.shops.find(SHOP))!;
    expect([shop.settings.deliveryUpdates, shop.settings.paymentReminder]).toEqual([
      { out_for_delivery: true, delivered: false, attempted_delivery: false },
      { enabled: true, delayMinutes: 90 },
    ]);
    await shot(page, "settings-delivery-reminder");
    noFailures(page);
    await page.close();

    const templates = await open("templates");
    await templates.getByLabel("Automation").selectOption("payment_reminder");
    const preview = templates.getByTestId("messenger-preview").first();
    await preview.getByText("Alan, your order #1001 at Demo Store is still waiting for payment (73.45 USD)", { exact: false }).waitFor();
    await preview.getByText("Complete payment").waitFor();
    await templates.getByText("No tag: only within the 24-hour window").waitFor();
    await templates.getByLabel("Automation").selectOption("delivery");
    await preview.getByText("is out for delivery", { exact: false }).waitFor();
    // The other statuses are shown beside it, each as the customer would see it.
    await templates.getByTestId("messenger-preview").nth(1).getByText("has been delivered", { exact: false }).waitFor();
    await templates.getByTestId("messenger-preview").nth(2).getByText("The carrier tried to deliver", { exact: false }).waitFor();
    // Held past the window by default: no tag is named.
    await templates.getByText("Past 24 hours: held (Settings › After 24 hours)").waitFor();
    await shot(templates, "templates-delivery");
    noFailures(templates);
    await templates.close();
  });

  it("finds a failed message, shows its signed body, retries it and sees it sent; sends a test message", async () => {
    h.standIn.set({ failNext: 1, failStatus: 400 });
    await seedDeliveries(h.app.ctx.db, 1, { prefix: "admin" });
    h.app.worker!.poke();
    await waitFor(
      () => h.app.ctx.db.delivery.findFirstOrThrow({ where: { key: { startsWith: "admin:" } } }),
      (d) => d.state === "failed",
    );

    const page = await open("deliveries");
    await page.getByLabel("State").selectOption("failed");
    const row = page.getByRole("row").filter({ hasText: "failed" }).first();
    await row.waitFor();
    await row.click();
    await page.getByText('"text": "admin message 0"', { exact: false }).waitFor();
    await page.getByRole("paragraph").filter({ hasText: "JoinChat answered 400" }).waitFor();
    await row.getByRole("button", { name: "Retry" }).click();
    await page.getByText("Queued again").waitFor();
    await waitFor(
      () => h.app.ctx.db.delivery.findFirstOrThrow({ where: { key: { startsWith: "admin:" } } }),
      (d) => d.state === "sent",
    );
    await page.getByLabel("State").selectOption("sent");
    await page.getByRole("row").filter({ hasText: "Test message" }).first().waitFor();

    const received = h.standIn.messages.length;
    await h.app.ctx.links.link(SHOP, "jc_admin-test", { email: "merchant@example.com" }, new Date(), "cli");
    await page.getByLabel("Find a subscriber").fill("merchant@");
    await page.getByLabel("Send to").locator("option", { hasText: "merchant@example.com" }).waitFor({ state: "attached" });
    await page.getByLabel("Text", { exact: true }).fill("Test from the admin page");
    await page.getByRole("button", { name: "Send test" }).click();
    await page.getByTestId("test-result").getByText("JoinChat answered 200", { exact: false }).waitFor({ timeout: 15_000 });
    expect(h.standIn.messages.slice(received).map((m) => m.body)).toContainEqual(
      expect.objectContaining({ recipient: { uuid: "jc_admin-test" }, message: { template_type: "text", text: "Test from the admin page" } }),
    );
    await page.getByLabel("State").selectOption("");
    await shot(page, "deliveries");
    noFailures(page);
    await page.close();
  });

  it("says on Deliveries, in plain words, since when JoinChat has been unreachable", async () => {
    await h.app.ctx.joinchatOutage.failed(new Date(Date.now() - 120_000), "JoinChat network error: connect ECONNREFUSED", new Date());
    const page = await open("deliveries");
    const banner = page.getByTestId("joinchat-outage");
    await banner.getByText("JoinChat has not been reachable since", { exact: false }).waitFor();
    await banner.getByText("none is lost", { exact: false }).waitFor();
    await banner.getByText("connect ECONNREFUSED", { exact: false }).waitFor();
    await shot(page, "deliveries-joinchat-outage");
    noFailures(page);
    await page.close();
  });

  it("charts results per automation", async () => {
    const page = await open("results");
    await page.getByText("Test message", { exact: true }).waitFor();
    await page.getByText("Recovered orders, ", { exact: false }).waitFor();
    expect(await page.getByTestId("recovered-orders").textContent()).toBe("0");
    expect(await page.locator("[data-testid=daily-chart] rect").count()).toBeGreaterThan(0);
    await shot(page, "results");
    noFailures(page);
    await page.close();
  });

  it("lists customers' data requests and downloads one as a JSON file; links to the theme editor's app embed", async () => {
    await h.app.ctx.compliance.recordDataRequest(SHOP, "8658316394796", {
      customerId: "8658316394796",
      links: [{ uuid: "uuid-one", linkedAt: "2026-12-01T10:00:00.000Z", source: "proxy" }],
      deliveries: [],
    });
    const page = await open("privacy");
    await page.getByRole("cell", { name: "8658316394796" }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^data-request-8658316394796-\d{4}-\d\d-\d\d\.json$/);
    const file = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
    expect(file).toMatchObject({ shop: SHOP, customerId: "8658316394796", links: [{ uuid: "uuid-one" }] });
    await shot(page, "data-requests");
    await page.goto(`${h.url}/admin#settings`);
    const embed = page.getByRole("link", { name: "Enable the app embed in your theme" });
    expect(await embed.getAttribute("href")).toBe(`https://${SHOP}/admin/themes/current/editor?context=apps&activateAppId=test-api-key/app-embed`);
    noFailures(page);
    await page.close();
  });

  it("shows the expired-session notice, and no data, without a valid token", async () => {
    const page = await newPage();
    await page.goto(`${h.url}/admin?token=not-a-token#deliveries`);
    await page.getByText("Your session has expired").waitFor();
    expect(await page.getByText(SHOP).count()).toBe(0);
    await page.close();
  });
});
