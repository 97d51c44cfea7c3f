import path from "node:path";
import { adminInBrowser, ARTIFACTS, browserDescribe } from "../helpers/browser";
import { SHOP } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";

/** The signup reward and the bot buttons in the merchant admin, in headless Chromium against the real app. */
const describeBrowser = browserDescribe("admin");

describeBrowser("signup reward and bot buttons in the admin", () => {
  jest.setTimeout(60_000);
  const { h, openAdmin: open } = adminInBrowser({ background: false }, configureShop);

  it("refuses a bad block id on its field, saves a good button and a reward, and the preview shows both", async () => {
    const page = await open("settings");
    await page.getByText("Buttons into your JoinChat bot").waitFor();
    await page.getByLabel("Welcome coupon: button title").fill("Talk to us");
    await page.getByLabel("Block id").first().fill("0");
    await page.getByRole("button", { name: "Save Buttons into your JoinChat bot" }).click();
    await page.getByText("must be a positive whole number: the block's or flow's id in JoinChat").first().waitFor();
    expect((await h.app.ctx.shops.find(SHOP))!.settings.botButtons).toEqual({});

    await page.getByLabel("Block id").first().fill("12");
    await page.getByLabel("Loyalty points for signing up").fill("150");
    await page.getByLabel("Store credit amount").fill("5.00");
    await page.getByLabel("Currency", { exact: true }).fill("usd");
    await page.getByRole("button", { name: "Save Buttons into your JoinChat bot" }).click();
    await page.getByText("Settings saved").waitFor();
    await page.getByRole("button", { name: "Save Signup reward" }).click();
    await page.getByRole("button", { name: "Save Signup reward" }).and(page.locator("[aria-disabled=true]:not([aria-busy=true])")).waitFor();
    const s = (await h.app.ctx.shops.find(SHOP))!.settings;
    expect(s.botButtons).toEqual({ welcome: { title: "Talk to us", start: "block", id: 12 } });
    expect(s.signupReward).toEqual({ points: 150, storeCredit: { amount: "5.00", currency: "USD" } });
    await page.screenshot({ path: path.join(ARTIFACTS, "admin-rewards-settings.png"), fullPage: true });

    await page.goto(`${h.url}/admin#templates`);
    const preview = page.getByTestId("messenger-preview").first();
    await preview.getByText("You have earned 150 points in our loyalty programme. We added 5.00 USD of store credit to your account.", { exact: false }).waitFor();
    const bot = preview.getByTestId("bot-button");
    await bot.getByText("Talk to us").waitFor();
    expect(await bot.getAttribute("title")).toBe("Starts block 12 of your JoinChat bot");
    await page.getByText("Buttons: 2 of 3").waitFor();
    await page.getByLabel("Points phrase", { exact: false }).fill("Plus {{points}} points!");
    await preview.getByText("Plus 150 points!", { exact: false }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "admin-rewards-templates.png"), fullPage: true });
    await page.close();
  });
});
