import path from "node:path";
import type { Page } from "playwright-core";
import { adminInBrowser, ARTIFACTS, browserDescribe, expectPlainWords } from "../helpers/browser";
import { SHOP } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";
import { signSessionToken } from "../../src/shopify/session-token";
import { REASONS } from "../../src/policy/reasons";

/** A reason as long as a proxy's error page, one unbroken token in it. */
const LONG_REASON = `JoinChat answered with something the app could not read: ${"x".repeat(180)} ${"the proxy said it could not reach the upstream server. ".repeat(6)}`;

/**
 * The delivery log at a phone's width and a desktop's: every message's state, its reason and
 * Retry on screen, nothing wider than the window, a recall never made shown with why, and a
 * message found by its order's number.
 */
browserDescribe("deliveries")("the delivery log at 390 and 1280 px (headless Chromium)", () => {
  jest.setTimeout(90_000);
  const { h, newPage } = adminInBrowser({ background: false }, async (h) => {
    await configureShop(h);
    // A checkout nobody can be recalled for: the recall is never made, and the log says why.
    await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
    while ((await h.app.processor!.runOnce()) > 0);
    // A receipt JoinChat refused, with a long recorded reason.
    await h.app.ctx.db.delivery.create({
      data: {
        key: "receipt:browser:1",
        shopDomain: SHOP,
        automation: "receipt",
        recipientKey: `${SHOP}|uuid:jc_browser-customer`,
        recipient: JSON.stringify({ uuid: "jc_browser-customer" }),
        message: JSON.stringify({ template_type: "text", text: "Thanks for your order" }),
        runAt: new Date(),
        state: "failed",
        attempts: 1,
        lastError: LONG_REASON,
        orderName: "#2001",
        search: "dana lee dana@example.com jc_browser-customer #2001",
      },
    });
  });

  async function openAt(width: number): Promise<Page> {
    const page = await newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await page.goto(`${h.url}/admin?token=${signSessionToken(h.app.ctx.config, SHOP, 3600)}#deliveries`);
    await page.getByText(SHOP).first().waitFor({ timeout: 10_000 });
    return page;
  }

  /** Nothing of the page is wider than the window: no sideways scrolling. */
  const overflow = (page: Page) => page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");

  /** Whether `locator`'s box lies wholly inside the window, left to right. */
  async function onScreen(page: Page, selector: ReturnType<Page["locator"]>) {
    const box = (await selector.boundingBox())!;
    const width = page.viewportSize()!.width;
    return box.x >= 0 && box.x + box.width <= width;
  }

  for (const width of [390, 1280]) {
    it(`at ${width} px: a skipped recall shows its reason; a refused receipt found by its order shows its state, reason and Retry, all on screen`, async () => {
      const page = await openAt(width);
      const recall = page
        .locator(width < 490 ? "[data-testid=delivery-card]" : "tr")
        .filter({ hasText: "Abandoned checkout" })
        .first();
      await recall.waitFor();
      expect(await recall.getByTestId("delivery-state").textContent()).toMatch(/Not sent$/);
      const why = recall.getByTestId("delivery-why");
      expect(await why.textContent()).toBe(REASONS.no_recipient);
      expect(await onScreen(page, why)).toBe(true);
      expect(await overflow(page)).toBeLessThanOrEqual(0);

      await page.getByLabel("Order").fill("2001");
      await page.getByRole("button", { name: "Search" }).click();
      await recall.waitFor({ state: "detached" });
      const receipt = page
        .locator(width < 490 ? "[data-testid=delivery-card]" : "tr")
        .filter({ hasText: "Order receipt" })
        .first();
      await receipt.waitFor();
      expect(await receipt.getByTestId("delivery-state").textContent()).toMatch(/Failed$/);
      await receipt.getByText("#2001").waitFor();
      expect(await receipt.getByTestId("delivery-why").textContent()).toBe(LONG_REASON);
      const retry = receipt.getByRole("button", { name: "Retry" });
      expect(await retry.isVisible()).toBe(true);
      // A long reason wraps: Retry stays on screen, and nothing scrolls sideways.
      expect(await onScreen(page, retry)).toBe(true);
      expect(await onScreen(page, receipt.getByTestId("delivery-state"))).toBe(true);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await receipt.getByText("Nothing sent").waitFor();
      await expectPlainWords(page);
      await page.screenshot({ path: path.join(ARTIFACTS, `deliveries-${width}.png`), fullPage: true });

      // Found by the customer's name too.
      await page.getByLabel("Order").fill("");
      await page.getByLabel("Customer").fill("Dana");
      await page.getByRole("button", { name: "Search" }).click();
      await receipt.getByText("#2001").waitFor();
      expect(await page.locator(width < 490 ? "[data-testid=delivery-card]" : "tbody tr").count()).toBe(1);
      await page.close();
    });
  }

  it("at 390 px no page of the admin scrolls sideways", async () => {
    const page = await openAt(390);
    const wide: string[] = [];
    for (const section of ["deliveries", "settings", "templates", "results", "privacy"]) {
      await page.evaluate(`location.hash = ${JSON.stringify(section)}`);
      await page.locator(`#${section}-panel`).last().waitFor();
      // Each page's own data loaded (its chunk and its API calls) before it is measured.
      await page.waitForLoadState("networkidle");
      const over = await overflow(page);
      if (over > 0) wide.push(`${section} by ${over} px`);
    }
    expect(wide).toEqual([]);
    await page.close();
  });
});
