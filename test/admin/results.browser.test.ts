import path from "node:path";
import { adminInBrowser, ARTIFACTS, browserDescribe, expectPlainWords } from "../helpers/browser";
import { SHOP, seedDeliveries, waitFor } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";

/**
 * A shop whose promotions JoinChat mostly refused, and which holds some checkouts out: the
 * Results and Settings pages say so in plain words, and the merchant resumes the promotions.
 */

browserDescribe("results")("the pause and the holdout comparison in the admin (headless Chromium)", () => {
  jest.setTimeout(90_000);
  const { h, openAdmin: open } = adminInBrowser({ worker: { pollMs: 50 } }, async (h) => {
    await configureShop(h, { settings: { results: { attribution: "strict", windowDays: 7, holdoutPercent: 20, trackClicks: false } } });
    // 20 promotions answered, 12 refused (10010): the shop's promotions pause.
    h.standIn.set({ unknownRecipients: Array.from({ length: 12 }, (_, i) => `u-${i}`) });
    await seedDeliveries(h.app.ctx.db, 20, { promotional: true, windowOpenedAt: new Date(), prefix: "promo" });
    h.app.worker!.poke();
    await waitFor(
      () => h.app.ctx.db.delivery.count({ where: { state: { in: ["sent", "failed"] } } }),
      (n) => n === 20,
    );
    // Ten checkouts grouped: eight recalled (two ordered), two held out (none ordered).
    const at = new Date();
    await h.app.ctx.db.recallGroup.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({
        shopDomain: SHOP,
        subjectKey: `checkout:t-${i}`,
        group: i < 8 ? "recalled" : "holdout",
        decidedAt: at,
        ...(i < 2 ? { orderId: `o-${i}`, total: "50.00", currency: "USD", orderedAt: at } : {}),
      })),
    });
  });

  it("Results show the pause, the rule they count by, and both groups; resuming clears the banner", async () => {
    const page = await open("results");
    // Settings, kept mounted while another tab shows, has its own (hidden) banner.
    const banner = page.locator("[data-testid=promotions-paused]:visible");
    await banner.getByText("Promotions are paused to protect your Facebook page").waitFor();
    await banner.getByText("JoinChat refused 12 of your last 20", { exact: false }).waitFor();
    expect(await page.getByTestId("attribution-rule").textContent()).toMatch(/^Strict: an order counts when it completes the very checkout/);
    expect(await page.locator("[data-group=recalled] td").allTextContents()).toEqual(["Recalled", "8", "2", "25.0%", "100.00 USD"]);
    expect(await page.locator("[data-group=holdout] td").allTextContents()).toEqual(["Holdout (no recall)", "2", "0", "0.0%", "—"]);
    await page.getByText("Lift: +25 percentage points").waitFor();
    await expectPlainWords(page);
    await page.screenshot({ path: path.join(ARTIFACTS, "results-paused.png"), fullPage: true });
    await page.getByRole("button", { name: "Resume promotions" }).click();
    await banner.waitFor({ state: "detached" });
    const settings = await h.app.ctx.shops.find(SHOP);
    expect(settings!.settings.promotionsResumedAt).toBeDefined();
    await page.close();
  });

  it("Settings explain the pause rule and the Results choices, and refuse a holdout above 50%", async () => {
    const page = await open("settings");
    await page.getByText("Pause promotions when JoinChat refuses too many").waitFor();
    await page.getByText("more than 30% of them were refused", { exact: false }).waitFor();
    await page.getByText("It completes the recalled checkout (strict)").first().waitFor({ state: "attached" });
    const holdout = page.getByLabel("Holdout: checkouts that get no recall (%)");
    expect(await holdout.inputValue()).toBe("20");
    await holdout.fill("60");
    await page.getByRole("button", { name: "Save Results" }).click();
    await page.getByText("at most 50%").first().waitFor();
    await expectPlainWords(page);
    await page.screenshot({ path: path.join(ARTIFACTS, "settings-results.png"), fullPage: true });
    expect((await h.app.ctx.shops.find(SHOP))!.settings.results.holdoutPercent).toBe(20);
    await page.close();
  });
});
