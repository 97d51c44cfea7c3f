import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { adminInBrowser, ARTIFACTS, browserDescribe, expectPlainWords } from "../helpers/browser";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { seedButtonMessage } from "../helpers/clicks";
import { editFixture, postWebhook } from "../helpers/webhooks";
import { signSessionToken } from "../../src/shopify/session-token";
import { APP_BRIDGE_TAG } from "../../src/http/admin-page";
import { localDay } from "../../src/store/local-days";

/**
 * A shop in New York that tracks clicks and credits orders to them: a customer clicks the
 * welcome message's button, orders three minutes later, and the merchant looks at Results for a
 * custom range and exports them, at a desktop's width and, embedded in Shopify admin (App Bridge
 * stubbed), at a phone's.
 */

const ZONE = "America/New_York";
const TARGET = "https://demo-store.myshopify.com/discount/WELCOME10";

/** App Bridge's `shopify` global as the admin uses it, its session tokens from the test. */
const APP_BRIDGE = `
  window.shopify = {
    idToken: () => window.nextToken(),
    toast: { show() {} },
    saveBar: { async show() {}, async hide() {} },
  };
  for (const name of ["ui-nav-menu", "ui-save-bar"]) customElements.define(name, class extends HTMLElement { connectedCallback() { this.style.display = "none"; } });
`;

browserDescribe("results range")("Results for a custom range, exported, with a tracked click and the order it led to (headless Chromium)", () => {
  jest.setTimeout(120_000);
  const { h, newPage, openAdmin } = adminInBrowser({ background: false }, async (h) => {
    await configureShop(h, { settings: { results: { attribution: "click", windowDays: 7, holdoutPercent: 0, trackClicks: true } } });
    await h.app.ctx.shops.setTimeZone(SHOP, ZONE);
    await seedButtonMessage(h.app.ctx.db, TARGET);
    await drain(h);
  });

  const today = () => localDay(new Date(), ZONE);
  const yesterday = () => localDay(new Date(Date.now() - 86_400_000), ZONE);

  /** Picks the custom range yesterday to today, as the merchant does, and waits for its figures. */
  async function customRange(page: Page) {
    await page.getByLabel("Period", { exact: true }).selectOption("custom");
    await page.getByLabel("From", { exact: true }).fill(yesterday());
    await page.getByLabel("To", { exact: true }).fill(today());
    await page.getByRole("button", { name: "Show" }).click();
    await page.getByTestId("results-period").getByText(`${yesterday()} to ${today()} (${ZONE})`).waitFor();
  }

  /** Clicks an export button and returns the file's name and text. */
  async function exported(page: Page, button: string): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
    return { name: download.suggestedFilename(), text: fs.readFileSync((await download.path())!, "utf8") };
  }

  it("at 1280 px: the customer's click is counted, the order it led to is credited, and the custom range exports as CSV", async () => {
    // The customer taps the button in Messenger: through the app's redirect to the shop.
    const sent = JSON.stringify(h.standIn.messages[0]!.body);
    const tracked = /https:\/\/app\.example\.com(\/c\/[A-Za-z0-9._-]+)/.exec(sent)![1]!;
    const customer = await newPage();
    // The browser follows the redirect to the shop (which it cannot reach here: the request is what shows where it went).
    const [toShop] = await Promise.all([customer.waitForRequest(TARGET), customer.goto(`${h.url}${tracked}`).catch(() => null)]);
    expect(toShop.redirectedFrom()?.url()).toBe(`${h.url}${tracked}`);
    await customer.close();
    // ...and orders.
    const order = editFixture("orders-create-3.json", (o) => {
      o.id = 4242;
      o.name = "#4242";
      o.customer = { id: 7, first_name: "Ann" };
      o.checkout_token = "other";
      o.financial_status = "paid";
    });
    expect((await postWebhook(h.url, order, { topic: "orders/create" })).status).toBe(200);
    await drain(h);

    const page = await openAdmin("results");
    await customRange(page);
    expect(await page.getByTestId("recovered-orders").textContent()).toBe("1");
    expect(await page.getByTestId("recovered-revenue").textContent()).toBe("439.00 HKD");
    expect(await page.getByTestId("clicks-welcome").textContent()).toBe("1");
    await page.getByText("Click: an order counts when the same customer places it within 7 days after clicking").waitFor();
    // Charts carry their axes: counts up the side, the shop's days along the bottom.
    const chart = page.getByTestId("daily-chart").first();
    expect(await chart.locator("[data-axis=y]").allTextContents()).toEqual(["0", "1"]);
    expect((await chart.locator("[data-axis=x]").allTextContents()).length).toBe(2);
    await expectPlainWords(page);
    await page.screenshot({ path: path.join(ARTIFACTS, "results-range-1280.png"), fullPage: true });

    const orders = await exported(page, "Export orders (CSV)");
    expect(orders.name).toBe(`demo-store-orders-${yesterday()}-to-${today()}.csv`);
    expect(orders.text.split("\r\n")[1]).toMatch(/^\S+ \d\d:\d\d,#4242,4242,439\.00,HKD,paid,\S+ \d\d:\d\d,no,,\S+ \d\d:\d\d,yes$/);
    const messages = await exported(page, "Export messages (CSV)");
    expect(messages.text.split("\r\n")[0]).toBe(`\uFEFFlast change (${ZONE}),automation,state,recipient,sent at,tag,clicks,reason,message id`);
    expect(messages.text).toMatch(/,welcome,sent,uuid:u…,\S+ \d\d:\d\d,,1,,c[a-z0-9]+\r\n/);
    await page.close();
  });

  it("at 390 px, embedded in Shopify admin: the same custom range, its figures and its export fit a phone", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.exposeFunction("nextToken", () => signSessionToken(h.app.ctx.config, SHOP, 60));
    const appBridgeScript = /src="([^"]+)"/.exec(APP_BRIDGE_TAG)![1]!;
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) =>
      route.request().url() === appBridgeScript ? route.fulfill({ contentType: "text/javascript", body: APP_BRIDGE }) : route.abort(),
    );
    await page.goto(`${h.url}/results?shop=${SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtbw&embedded=1`);
    await page.getByText("Clicks on message buttons").waitFor({ timeout: 10_000 });
    await customRange(page);
    expect(await page.getByTestId("recovered-orders").textContent()).toBe("1");
    expect(await page.getByTestId("clicks-total").textContent()).toBe("1");
    const orders = await exported(page, "Export orders (CSV)");
    expect(orders.text).toContain(",#4242,4242,439.00,HKD,paid,");
    expect(await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth")).toBeLessThanOrEqual(1);
    await expectPlainWords(page);
    await page.screenshot({ path: path.join(ARTIFACTS, "results-range-390.png"), fullPage: true });
    await page.close();
  });
});
