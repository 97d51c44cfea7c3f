import path from "node:path";
import type { Page } from "playwright-core";
import { adminInBrowser, ARTIFACTS, browserDescribe, expectPlainWords } from "../helpers/browser";
import { SHOP } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";

/**
 * A recall sequence: each step's text written in Templates, each step's coupon set in Settings,
 * and every step previewed with its own words, at a desktop's 1280 px and a phone's 390 px.
 */
browserDescribe("recall-steps")("Abandoned-checkout recall steps (headless Chromium)", () => {
  jest.setTimeout(90_000);
  const { h, openAdmin } = adminInBrowser({ background: false }, configureShop);

  const overflow = (page: Page) => page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
  /** The error Polaris shows under the field labelled `label`, or null. */
  const errorUnder = async (page: Page, label: string): Promise<string | null> => {
    const ids = ((await page.getByLabel(label, { exact: true }).getAttribute("aria-describedby")) ?? "").split(" ").filter((id) => id.endsWith("Error"));
    const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
    return texts.join("") || null;
  };
  const SECTION = "Abandoned-checkout recall steps";

  for (const width of [1280, 390]) {
    it(`a recall sequence with two texts previewed, at ${width} px`, async () => {
      await h.app.ctx.shops.upsert(SHOP, { settings: { templates: {}, recallSteps: { coupons: [] } } });
      const first = `First nudge at ${width} for {{first_name}}.`;
      const second = `Second nudge at ${width} for {{first_name}}.{{coupon_phrase}}`;

      // Templates: the steps' texts, each previewed as typed, the first as the main preview and the second among the others.
      const templates = await openAdmin("templates");
      await templates.setViewportSize({ width, height: 900 });
      await templates.getByLabel("Automation").selectOption("abandoned");
      await templates.getByLabel("Message of the first recall").fill(first);
      await templates.getByLabel("Message of the second recall").fill(second);
      const previews = templates.getByTestId("messenger-preview");
      await previews.first().getByText(`First nudge at ${width} for Alan.`, { exact: true }).waitFor();
      await templates.getByText("Recall 2, 480 minutes after the checkout", { exact: true }).waitFor();
      await previews.getByText(`Second nudge at ${width} for Alan.`, { exact: true }).waitFor();
      expect(await overflow(templates)).toBeLessThanOrEqual(1);
      await templates.getByRole("button", { name: "Save templates" }).click();
      await templates.getByText("Templates saved").waitFor();
      expect((await h.app.ctx.shops.find(SHOP))!.settings.templates).toMatchObject({ "abandoned.text": first, "abandoned.text_2": second });
      await templates.close();

      // Settings: each step with its delay and coupon, and its own preview with its own words.
      const page = await openAdmin("settings");
      await page.setViewportSize({ width, height: 900 });
      const step1 = page.getByTestId("recall-preview-1");
      const step2 = page.getByTestId("recall-preview-2");
      await step1.getByText(`First nudge at ${width} for Alan.`, { exact: true }).waitFor();
      await step2.getByText(`Second nudge at ${width} for Alan.`, { exact: true }).waitFor();
      await page.getByText("Recall 3: 1380 minutes after the checkout").waitFor();
      expect(await step1.innerText()).not.toContain("Second nudge");
      expect(await step2.innerText()).not.toContain("First nudge");

      // A wrong code is refused under its own step's field; a good one shows in that step's text alone.
      await page.getByLabel("Discount code for recall 1").fill("10% OFF");
      await page.getByLabel("Discount code for recall 2").fill("COMEBACK10");
      await page.getByRole("button", { name: `Save ${SECTION}`, exact: true }).click();
      await page.getByText("letters, digits, - and _ only", { exact: true }).waitFor();
      expect(await errorUnder(page, "Discount code for recall 1")).toBe("letters, digits, - and _ only");
      expect(await errorUnder(page, "Discount code for recall 2")).toBeNull();
      expect((await h.app.ctx.shops.find(SHOP))!.settings.recallSteps.coupons).toEqual([]);
      await page.getByLabel("Discount code for recall 1").fill("");
      await page.getByRole("button", { name: `Save ${SECTION}`, exact: true }).click();
      await step2.getByText(`Second nudge at ${width} for Alan. Use code COMEBACK10: it is applied when you tap below.`, { exact: true }).waitFor();
      expect((await h.app.ctx.shops.find(SHOP))!.settings.recallSteps.coupons).toEqual([null, "COMEBACK10"]);
      expect(await step1.innerText()).not.toContain("COMEBACK10");
      // The step's button opens the checkout through the discount link (its target, as the preview says it).
      expect(await step2.locator(".mp-button").first().getAttribute("title")).toBe(`https://${SHOP}/discount/COMEBACK10?redirect=%2Fcheckouts%2Fc%2Fsample`);

      await page.getByTestId("recall-preview-3").scrollIntoViewIfNeeded();
      const over = await overflow(page);
      console.log(`recall steps at ${width} px: ${over} px wider than the window`);
      expect(over).toBeLessThanOrEqual(1);
      await expectPlainWords(page);
      await page
        .locator("#settings-recall-steps")
        .locator('xpath=ancestor::div[contains(@class, "Polaris-Layout__AnnotatedSection")][1]')
        .screenshot({ path: path.join(ARTIFACTS, `recall-steps-${width}.png`) });
      await page.close();
    });
  }
});
