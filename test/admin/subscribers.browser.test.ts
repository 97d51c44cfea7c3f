import path from "node:path";
import type { Page } from "playwright-core";
import { adminInBrowser, ARTIFACTS, browserDescribe, expectPlainWords } from "../helpers/browser";
import { SHOP } from "../helpers/deliveries";
import { signSessionToken } from "../../src/shopify/session-token";
import { APP_BRIDGE_TAG } from "../../src/http/admin-page";

/**
 * The setup checklist of a fresh shop and the Subscribers section, as a merchant sees them at a
 * desktop's width and a phone's (test/artifacts/subscribers-*.png).
 */

/** App Bridge's `shopify` global, whose extensions() says the theme has the app embed on and the app block nowhere. */
const APP_BRIDGE_STUB = `
  window.shopify = {
    async idToken() { return window.nextToken(); },
    toast: { show() { return "1"; } },
    saveBar: { async show() {}, async hide() {} },
    app: {
      async extensions() {
        return [{ type: "theme_app_extension", handle: "joinchat-embed", activations: [
          { handle: "app-embed", status: "active" },
          { handle: "messenger-plugin", status: "available" },
        ] }];
      },
    },
  };
  for (const name of ["ui-nav-menu", "ui-save-bar"]) {
    customElements.define(name, class extends HTMLElement { connectedCallback() { this.style.display = "none"; } });
  }
`;

const WIDTHS = [1280, 390] as const;

browserDescribe("subscribers")("a fresh shop's checklist and the Subscribers section (headless Chromium)", () => {
  jest.setTimeout(120_000);
  const { h, newPage, openAdmin } = adminInBrowser({ background: false }, async () => {});
  // The screen as the merchant first sees it: the checklist sits at the top of a long Settings page.
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `subscribers-${name}.png`) });
  const overflow = (page: Page) => page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
  /** Each checklist row's badge, by step. */
  const badges = async (page: Page) =>
    Object.fromEntries(
      // The badge's words as shown, without the tone Polaris spells out for screen readers.
      await page.$$eval("[data-testid^=setup-]", (rows) =>
        rows.map((r) => [r.getAttribute("data-testid")!.slice(6), r.querySelector(".Polaris-Badge > :not(.Polaris-Text--visuallyHidden)")?.textContent ?? ""]),
      ),
    );

  it.each(WIDTHS)("at %i px, a fresh shop's checklist shows exactly what is missing, counts every row and is not ready", async (width) => {
    const page = await openAdmin("settings");
    await page.setViewportSize({ width, height: 900 });
    await page.getByText("Set up (0 of 9 done)").waitFor();
    expect(await badges(page)).toEqual({
      installed: "To do",
      joinchat: "To do",
      "test-message": "To do",
      sdk: "To do",
      embed: "Not confirmed",
      "plugin-block": "Not confirmed",
      "opt-in": "To do",
      coupon: "To do",
      allowlist: "Not confirmed",
    });
    await page.getByText("9 to go").waitFor();
    expect(await page.getByText("Ready to send").count()).toBe(0);
    await expectPlainWords(page);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await shot(page, `1-fresh-checklist-${width}px`);

    // The merchant's word for what the app cannot see: counted, and taken back.
    await page.getByTestId("setup-allowlist").getByRole("button", { name: "I have done this" }).click();
    await page.getByText("Set up (1 of 9 done)").waitFor();
    await page.getByTestId("setup-allowlist").getByRole("button", { name: "Not done after all" }).click();
    await page.getByText("Set up (0 of 9 done)").waitFor();
    await page.close();
  });

  it("inside Shopify admin, App Bridge's word on the theme decides the embed and the block", async () => {
    const page = await newPage();
    await page.exposeFunction("nextToken", () => signSessionToken(h.app.ctx.config, SHOP, 60));
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) =>
      route.request().url() === /src="([^"]+)"/.exec(APP_BRIDGE_TAG)![1] ? route.fulfill({ contentType: "text/javascript", body: APP_BRIDGE_STUB }) : route.abort(),
    );
    await page.goto(`${h.url}/?shop=${SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtbw&embedded=1`);
    await page.getByText("Set up (1 of 9 done)").waitFor({ timeout: 15_000 });
    expect(await badges(page)).toMatchObject({ embed: "Done", "plugin-block": "To do" });
    await page.getByText("The Messenger plugin block is in no page of your published theme").waitFor();
    expect(await page.getByTestId("setup-embed").getByRole("button", { name: "I have done this" }).count()).toBe(0);
    await shot(page, "2-embedded-checklist");
    await page.close();
  });

  it.each(WIDTHS)("at %i px, lists the subscribers with where they opted in, their window and messages, and removes one", async (width) => {
    const now = Date.now();
    await h.app.ctx.db.recipientLink.deleteMany({});
    await h.app.ctx.db.delivery.deleteMany({});
    await h.app.ctx.links.link(SHOP, "jc_ann", { customerId: "501", email: "ann@example.com" }, new Date(now - 3_600_000), "proxy", "/cart");
    await h.app.ctx.links.link(SHOP, "jc_bob", { email: "bob@example.com" }, new Date(now - 30 * 3_600_000), "proxy", "/products/blue-mug");
    await h.app.ctx.links.link(SHOP, "jc_anon-visitor", {}, new Date(now - 7_200_000), "proxy", "/");
    await h.app.ctx.db.delivery.create({
      data: {
        key: `receipt:${SHOP}:${width}`,
        shopDomain: SHOP,
        automation: "receipt",
        recipientKey: `${SHOP}|uuid:jc_ann`,
        recipient: JSON.stringify({ uuid: "jc_ann" }),
        message: JSON.stringify({ template_type: "text", text: "Thanks" }),
        state: "sent",
        sentAt: new Date(now - 1_800_000),
        runAt: new Date(now - 1_800_000),
      },
    });

    const page = await openAdmin("subscribers");
    await page.setViewportSize({ width, height: 900 });
    await page.getByText("1–3 of 3").waitFor();
    // At a phone's width the table is a list: each subscriber's cells read in its own row of text.
    const row = (who: string) => page.locator(width > 600 ? "tr" : "li").filter({ hasText: who });
    const ann = row("ann@example.com");
    await ann.getByText("On /cart").waitFor();
    await ann.getByText("Open until", { exact: false }).waitFor();
    await ann.getByText("1 sent: Order receipt").waitFor();
    const bob = row("bob@example.com");
    await bob.getByText("On /products/blue-mug").waitFor();
    await bob.getByText("Closed").waitFor();
    await row("Anonymous visitor").getByText("On /", { exact: true }).waitFor();
    await expectPlainWords(page);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await shot(page, `3-list-${width}px`);

    // Search narrows the list.
    await page.getByLabel("Search subscribers").fill("bob@");
    await page.getByText("1–1 of 1").waitFor();
    await page.getByLabel("Search subscribers").fill("");
    await page.getByText("1–3 of 3").waitFor();

    await page.getByRole("button", { name: "Remove bob@example.com" }).click();
    await page.getByRole("dialog").getByText("as if they had unlinked themselves", { exact: false }).waitFor();
    await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
    await page.getByText("1–2 of 2").waitFor();
    expect(await page.getByText("bob@example.com").count()).toBe(0);
    expect(await h.app.ctx.links.find(SHOP, "jc_bob")).toBeNull();
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await shot(page, `4-one-removed-${width}px`);
    await page.close();
  });
});
