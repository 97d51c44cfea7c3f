import path from "node:path";
import type { Page } from "playwright-core";
import { adminInBrowser, ARTIFACTS, browserDescribe, expectPlainWords } from "../helpers/browser";
import { JOINCHAT_SECRET, PAGE, SHOP } from "../helpers/deliveries";
import { signSessionToken } from "../../src/shopify/session-token";

/**
 * A fresh shop, as a merchant meets the admin: the setup checklist at the top of Settings walks
 * them to a first test message. Each page is screenshot (test/artifacts/setup-*.png) and its text
 * checked for wording a merchant should never see.
 */

browserDescribe("setup")("a fresh shop walks the setup checklist to its first test message (headless Chromium)", () => {
  jest.setTimeout(90_000);
  const { h, newPage } = adminInBrowser({ worker: { pollMs: 50 } }, async (h) => {
    h.standIn.addPage(PAGE, JOINCHAT_SECRET);
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `setup-${name}.png`), fullPage: true });

  it("from nothing to a sent test message, every page in plain words, usable at 390 px", async () => {
    const page = await newPage();
    const failures: string[] = [];
    page.on("pageerror", (e) => failures.push(e.message));
    await page.goto(`${h.url}/admin?token=${signSessionToken(h.app.ctx.config, SHOP, 3600)}#settings`);

    // The checklist says what is missing, the welcome coupon among it.
    await page.getByText("Set up (0 of 9 done)").waitFor();
    await page.getByText("Connect JoinChat").waitFor();
    await page.getByText("no coupon code: new customers get nothing", { exact: false }).waitFor();
    await page.getByRole("link", { name: "Open the theme editor" }).waitFor();
    await expectPlainWords(page);
    await shot(page, "1-fresh-settings");

    // A wrong page id is refused next to its field, in words.
    await page.getByLabel("Facebook page id").fill("my page");
    await page.getByRole("button", { name: "Save JoinChat" }).click();
    await page.getByText("the numeric Facebook page id").first().waitFor();
    await expectPlainWords(page);

    await page.getByLabel("Facebook page id").fill(PAGE);
    await page.getByLabel("JoinChat API secret").fill(JOINCHAT_SECRET);
    await page.getByLabel("Coupon code").fill("WELCOME10");
    await page.getByRole("button", { name: "Save JoinChat" }).click();
    await page.getByText("Settings saved").waitFor();
    await page.getByRole("button", { name: "Save Welcome coupon" }).click();
    await page.getByRole("button", { name: "Save Welcome coupon" }).and(page.locator("[aria-disabled=true]:not([aria-busy=true])")).waitFor();
    await page.getByText("The Facebook page id and the JoinChat API secret are saved.").waitFor();
    await page.getByText("New customers get a welcome coupon.").waitFor();
    await shot(page, "2-saved-settings");

    // The merchant clicks Send to Messenger on their own store: they are a subscriber to test with.
    await h.app.ctx.links.link(SHOP, "jc_first-test", {}, new Date(), "proxy", "/cart");
    // The checklist's next step leads to the test message, sent to a subscriber picked by email, phone or uuid.
    await page.getByRole("button", { name: "Send a test" }).click();
    await page.getByLabel("Send to").waitFor();
    await page.getByLabel("Find a subscriber").fill("first-test");
    await page.getByLabel("Send to").locator("option", { hasText: "jc_first-test" }).waitFor({ state: "attached" });
    expect(await page.getByLabel("Send to").inputValue()).toBe("jc_first-test");
    await page.getByRole("button", { name: "Send test" }).click();
    await page.getByTestId("test-result").getByText("JoinChat answered 200", { exact: false }).waitFor({ timeout: 20_000 });
    expect(h.standIn.messages.map((m) => m.body.recipient)).toEqual([{ uuid: "jc_first-test" }]);
    await expectPlainWords(page);
    await shot(page, "3-test-message");

    await page.evaluate('location.hash = "settings"');
    await page.getByText("JoinChat accepted a test message: the page id and secret work.").waitFor();
    // Not ready while anything is missing: the app is not installed here, nor is the SDK URL set.
    await page.getByText("Set up (5 of 9 done)").waitFor();
    expect(await page.getByText("Ready to send").count()).toBe(0);
    await shot(page, "4-settings-after-test");

    for (const tab of ["templates", "results"]) {
      await page.evaluate(`location.hash = "${tab}"`);
      await page.waitForTimeout(500);
      await expectPlainWords(page);
      await shot(page, `5-${tab}`);
    }

    // On a phone's width the delivery log fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate('location.hash = "deliveries"');
    await page.getByRole("heading", { name: "Send a test message" }).waitFor();
    await page.waitForTimeout(1000);
    await shot(page, "6-deliveries-390px");
    expect(await page.evaluate<string>("document.body.innerText")).toContain("Test message");
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(1);
    await shot(page, "6-deliveries-390px");
    expect(failures).toEqual([]);
    await page.close();
  });
});
