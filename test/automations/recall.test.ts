import fc from "fast-check";
import { buildRecall } from "../../src/automations/abandoned-checkout";
import { checkoutSchema } from "../../src/automations/payloads";
import type { ButtonMessage, GenericMessage } from "../../src/messages/schema";
import { serializeSendBody } from "../../src/messages/wire";
import { checkBody } from "../../src/standin/rules";
import { shopSettingsSchema, type ShopSettings } from "../../src/store/shop-settings";
import type { ShopRecord } from "../../src/store/shops";

/**
 * The abandoned-checkout recall as built, without a server: every item of a cart of any size is
 * accounted for within the carousel's 10 cards, the greeting rides on the first card, and JoinChat's
 * rules (the stand-in's, written from the vendor's page) accept every body.
 */
const URL = "https://demo-store.myshopify.com/checkouts/c/abc/recover";

const shopOf = (settings: Partial<ShopSettings> = {}): ShopRecord => ({
  domain: "demo-store.myshopify.com",
  pageId: "1029384756",
  hasSecret: true,
  couponCode: null,
  abandonedDelaysMinutes: [60],
  settings: { ...shopSettingsSchema.parse({}), ...settings },
  installed: true,
  installedAt: null,
  uninstalledAt: null,
});

interface Item {
  title: string;
  quantity: number;
  cents: number;
}
const cartOf = (items: Item[], firstName: string | null = "Alan", currency = "USD") =>
  checkoutSchema.parse({
    token: "abc",
    currency,
    abandoned_checkout_url: URL,
    customer: { id: 1, first_name: firstName },
    line_items: items.map((i) => ({ title: i.title, variant_title: null, quantity: i.quantity, price: (i.cents / 100).toFixed(2), image_url: null })),
  });
const generated = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ title: `Item ${i + 1}`, quantity: (i % 3) + 1, cents: 1000 + i * 250 }));
const accepted = (message: GenericMessage | ButtonMessage) => checkBody(serializeSendBody({ page_id: "1029384756", recipient: { uuid: "u" }, message }));
const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, "0")}`;

describe("the abandoned-checkout recall", () => {
  it("shows 9 items of a 12-item cart and a 10th card naming the 3 others with their total", () => {
    const items = generated(12);
    const m = buildRecall(shopOf(), cartOf(items), URL) as GenericMessage;
    expect(m.template_type).toBe("generic");
    expect(m.elements).toHaveLength(10);
    expect(m.elements.slice(0, 9).map((e) => e.title)).toEqual(items.slice(0, 9).map((i) => i.title));
    const rest = items.slice(9);
    const restTotal = rest.reduce((n, i) => n + i.cents * i.quantity, 0);
    expect(m.elements[9]!.title).toBe(`+ 3 more items (${cents(restTotal)} USD)`);
    expect(m.elements[9]!.subtitle).toBe("Item 10, Item 11, Item 12");
    expect(m.elements[9]!.buttons![0]).toMatchObject({ type: "web_url", url: URL });
    expect(accepted(m)).toEqual([]);
  });

  it("accounts for every item of any cart: each shown or counted in the last card, whose total is theirs", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), (n) => {
        const items = generated(n);
        const m = buildRecall(shopOf(), cartOf(items), URL) as GenericMessage;
        expect(m.elements.length).toBe(Math.min(n, 10));
        expect(accepted(m)).toEqual([]);
        if (n <= 10) return void expect(m.elements.map((e) => e.title)).toEqual(items.map((i) => i.title));
        const folded = items.slice(9);
        const last = /^\+ (\d+) more items \((\d+\.\d\d) USD\)$/.exec(m.elements[9]!.title);
        expect(last).not.toBeNull();
        expect(9 + Number(last![1])).toBe(n);
        expect(last![2]).toBe(cents(folded.reduce((s, i) => s + i.cents * i.quantity, 0)));
      }),
      { numRuns: 40 },
    );
  });

  it("keeps a cart of exactly 10 items whole, with no summary card", () => {
    const m = buildRecall(shopOf(), cartOf(generated(10)), URL) as GenericMessage;
    expect(m.elements.map((e) => e.title)).toEqual(generated(10).map((i) => i.title));
  });

  it("greets the customer on the first card of a multi-item cart, above its line (en and zh)", () => {
    const items = generated(2);
    const en = buildRecall(shopOf({ shopName: "Demo Store" }), cartOf(items), URL) as GenericMessage;
    expect(en.elements[0]!.subtitle).toBe("Alan, you left these in your cart at Demo Store.\n1 × 10.00 USD");
    expect(en.elements[1]!.subtitle).toBe("2 × 12.50 USD");
    const zh = buildRecall(shopOf({ shopName: "Demo Store", language: "zh" }), cartOf(items), URL) as GenericMessage;
    expect(zh.elements[0]!.subtitle).toBe("Alan，您在 Demo Store 的购物车里还有这些商品。\n1 × 10.00 USD");
    expect(zh.elements[1]!.subtitle).toBe("2 × 12.50 USD");
    const twelveZh = buildRecall(shopOf({ language: "zh" }), cartOf(generated(12)), URL) as GenericMessage;
    expect(twelveZh.elements[9]!.title).toMatch(/^另有 3 件商品（\d+\.\d\d USD）$/);
    for (const m of [en, zh, twelveZh]) expect(accepted(m)).toEqual([]);
  });

  it("greets without a name when the customer gave none, and with the shop's own greeting when it wrote one", () => {
    const anonymous = buildRecall(shopOf({ shopName: "Demo Store" }), cartOf(generated(2), null), URL) as GenericMessage;
    expect(anonymous.elements[0]!.subtitle).toBe("You left these in your cart at Demo Store.\n1 × 10.00 USD");
    const own = buildRecall(shopOf({ templates: { "abandoned.greeting": "Still thinking, {{first_name}}?" } }), cartOf(generated(2)), URL) as GenericMessage;
    expect(own.elements[0]!.subtitle).toBe("Still thinking, Alan?\n1 × 10.00 USD");
  });

  it("shortens a long shop name to fit the greeting, never the item's line", () => {
    const m = buildRecall(shopOf({ shopName: "The Extraordinarily Long-Named Emporium of Handmade Linen Goods" }), cartOf(generated(3)), URL) as GenericMessage;
    const subtitle = m.elements[0]!.subtitle!;
    expect(subtitle.length).toBeLessThanOrEqual(80);
    expect(subtitle).toMatch(/^Alan, you left these in your cart at The Extraordinarily .*….\n1 × 10\.00 USD$/);
    expect(accepted(m)).toEqual([]);
  });

  it("still sends one item as a text with the button, greeting included", () => {
    const m = buildRecall(shopOf({ shopName: "Demo Store" }), cartOf(generated(1)), URL) as ButtonMessage;
    expect(m.template_type).toBe("button");
    expect(m.text).toBe("Alan, you left something in your cart at Demo Store. It is still waiting for you.");
    expect(accepted(m)).toEqual([]);
  });
});

/** The link a button opens (a URL button's). */
const linkOf = (b: { type: string } | undefined) => (b && "url" in b ? b.url : undefined);

describe("each recall step", () => {
  const withCoupons = (coupons: (string | null)[], more: Partial<ShopSettings> = {}) => shopOf({ shopName: "Demo Store", recallSteps: { coupons }, ...more });
  const one = (shop: ShopRecord, step: number, url = URL) => buildRecall(shop, cartOf(generated(1)), url, step) as ButtonMessage;
  const several = (shop: ShopRecord, step: number) => buildRecall(shop, cartOf(generated(3)), URL, step) as GenericMessage;

  it("reads its own text: the first, a second reminder, and the last for the third and any step after (en and zh)", () => {
    const shop = withCoupons([]);
    expect([1, 2, 3, 4].map((step) => one(shop, step).text)).toEqual([
      "Alan, you left something in your cart at Demo Store. It is still waiting for you.",
      "Alan, a quick reminder: your cart at Demo Store is saved, and you can finish your order in a tap.",
      "Alan, this is our last reminder: your cart at Demo Store will not be held much longer.",
      "Alan, this is our last reminder: your cart at Demo Store will not be held much longer.",
    ]);
    const zh = withCoupons([], { language: "zh" });
    expect(one(zh, 2).text).toBe("Alan，温馨提醒：您在 Demo Store 的购物车已为您保存，点击即可完成订单。");
    // The carousel's greeting too, per step.
    expect([1, 2, 3].map((step) => several(shop, step).elements[0]!.subtitle)).toEqual([
      "Alan, you left these in your cart at Demo Store.\n1 × 10.00 USD",
      "Alan, your cart at Demo Store is still saved.\n1 × 10.00 USD",
      "Alan, last call for your cart at Demo Store.\n1 × 10.00 USD",
    ]);
  });

  it("uses the shop's own text of a step, and leaves the other steps' as they are", () => {
    const shop = shopOf({ templates: { "abandoned.text_2": "Second nudge for {{first_name}}" } });
    expect(one(shop, 2).text).toBe("Second nudge for Alan");
    expect(one(shop, 1).text).toMatch(/^Alan, you left something/);
  });

  it("tells its coupon in its text and applies it with the checkout button, through Shopify's discount link to the checkout", () => {
    const shop = withCoupons([null, "COMEBACK10"]);
    const first = one(shop, 1);
    expect(first.text).not.toMatch(/code/i);
    expect(first.buttons[0]).toMatchObject({ type: "web_url", url: URL });
    const second = one(shop, 2);
    expect(second.text).toBe(
      "Alan, a quick reminder: your cart at Demo Store is saved, and you can finish your order in a tap. Use code COMEBACK10: it is applied when you tap below.",
    );
    expect(second.buttons[0]).toMatchObject({ type: "web_url", url: "https://demo-store.myshopify.com/discount/COMEBACK10?redirect=%2Fcheckouts%2Fc%2Fabc%2Frecover" });
    // The checkout's path and its own query (its recovery key) ride in the redirect, whole.
    // On the shop's domain whatever host the checkout link names (Shopify's older ones: checkout.shopify.com).
    const keyed = one(shop, 2, "https://checkout.shopify.com/123/checkouts/abc/recover?key=k1&locale=en");
    expect(linkOf(keyed.buttons[0])).toBe("https://demo-store.myshopify.com/discount/COMEBACK10?redirect=%2F123%2Fcheckouts%2Fabc%2Frecover%3Fkey%3Dk1%26locale%3Den");
    expect(new globalThis.URL(linkOf(keyed.buttons[0])!).searchParams.get("redirect")).toBe("/123/checkouts/abc/recover?key=k1&locale=en");
    // Chinese sets the phrase off without a space; a shop's own text may place the code itself.
    expect(one(withCoupons([null, "COMEBACK10"], { language: "zh" }), 2).text).toMatch(/完成订单。优惠码 COMEBACK10 将在您点击下方按钮时自动使用。$/);
    const own = withCoupons(["SAVE5"], { templates: { "abandoned.text": "Code {{coupon_code}} for {{first_name}}" } });
    expect(one(own, 1).text).toBe("Code SAVE5 for Alan");
    for (const m of [first, second, keyed]) expect(accepted(m)).toEqual([]);
  });

  it("says the discount is applied on a carousel with a coupon, and every card's button and tap apply it", () => {
    const m = several(withCoupons([null, null, "LAST-15"]), 3);
    expect(m.elements[0]!.subtitle).toBe("Alan, your discount is applied at checkout.\n1 × 10.00 USD");
    const link = "https://demo-store.myshopify.com/discount/LAST-15?redirect=%2Fcheckouts%2Fc%2Fabc%2Frecover";
    for (const e of m.elements) {
      expect(linkOf(e.buttons![0])).toBe(link);
      expect(e.default_action!.url).toBe(link);
    }
    expect(accepted(m)).toEqual([]);
    // A step without a coupon keeps the plain checkout link.
    expect(linkOf(several(withCoupons([null, null, "LAST-15"]), 2).elements[0]!.buttons![0])).toBe(URL);
  });
});
