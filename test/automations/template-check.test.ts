import { COUNTED_LENGTHS, checkedLength, lengthProblem, longestValues, promotionProblem, templateProblem } from "../../src/automations/template-check";
import { DEFAULT_TEMPLATES, TEMPLATE_KEYS, TEMPLATE_LIMITS, type TemplateKey } from "../../src/automations/templates";
import { buildWelcome } from "../../src/automations/welcome-coupon";
import { buildShippingNotice } from "../../src/automations/shipping";
import { fulfillmentSchema } from "../../src/automations/payloads";
import { shopSettingsSchema, type ShopSettings } from "../../src/store/shop-settings";
import type { ShopRecord } from "../../src/store/shops";

const shopWith = (o: { couponCode?: string | null; templates?: Partial<Record<TemplateKey, string>>; settings?: Partial<ShopSettings> } = {}): ShopRecord => ({
  domain: "demo-store.myshopify.com",
  pageId: "1",
  hasSecret: true,
  couponCode: o.couponCode === undefined ? "WELCOME10" : o.couponCode,
  abandonedDelaysMinutes: [60],
  settings: { ...shopSettingsSchema.parse({}), ...o.settings, templates: o.templates ?? {} },
  installed: true,
  installedAt: null,
  uninstalledAt: null,
});

/** `n` characters of plain words, then `tail`. */
const textOf = (n: number, tail = "") => `${"Thanks for joining us. ".repeat(Math.ceil(n / 23)).slice(0, n - tail.length)}${tail}`;

describe("templates checked when saved", () => {
  it.each(["en", "zh"] as const)("passes every default template in %s, each within its field with the longest values", (language) => {
    const shop = shopWith({ settings: { language } });
    for (const key of TEMPLATE_KEYS) {
      expect([key, templateProblem(shop, key)]).toEqual([key, null]);
      expect(promotionProblem(key, DEFAULT_TEMPLATES[language][key])).toBeNull();
    }
  });

  it("refuses a 700-character welcome text naming 640, and a 21-character button naming 20", () => {
    const long = shopWith({ templates: { "welcome.text": textOf(700), "welcome.button": "B".repeat(21) } });
    expect(lengthProblem(long, "welcome.text")).toBe("700 characters with the longest names, codes and numbers it can carry: at most 640, JoinChat's limit for a message's text");
    expect(lengthProblem(long, "welcome.button")).toMatch(/^21 characters .*: at most 20, JoinChat's limit for a button's title$/);
    expect(lengthProblem(shopWith({ templates: { "abandoned.item_subtitle": "S".repeat(60) + " {{quantity}} × {{price}} {{currency}}" } }), "abandoned.item_subtitle")).toMatch(
      /at most 80, JoinChat's limit for a title or subtitle$/,
    );
  });

  it("counts the shop's own coupon code, a unique code's full length, and the longest code the settings take when none is set", () => {
    const template = { "welcome.text": "{{coupon_code}}" };
    expect(checkedLength(shopWith({ templates: template, couponCode: "SPRING-2026-LOYAL" }), "welcome.text")).toBe("SPRING-2026-LOYAL".length);
    const unique = shopWith({ templates: template, couponCode: "W5", settings: { couponMode: "unique", uniqueCoupon: { prefix: "WELCOMEBACK", percentage: 10, validDays: 30 } } });
    expect(checkedLength(unique, "welcome.text")).toBe("WELCOMEBACK-".length + 10);
    expect(checkedLength(shopWith({ templates: template, couponCode: null }), "welcome.text")).toBe(COUNTED_LENGTHS.coupon_code);
  });

  it("counts a shipping notice with a 40-character tracking number and a long order name, and rewards at the most the settings allow", () => {
    const shipping = shopWith({ templates: { "shipping.text": "{{order_name}}{{tracking_phrase}}" } });
    expect(longestValues(shipping).tracking_number).toHaveLength(40);
    expect(checkedLength(shipping, "shipping.text")).toBe(COUNTED_LENGTHS.order_name + " Tracking number: .".length + 40);
    const rewards = checkedLength(shopWith({ templates: { "welcome.text": "{{rewards}}" } }), "welcome.text");
    expect(rewards).toBe("You have earned 100000000 points in our loyalty programme. We added 999999999.999 BHD of store credit to your account.".length);
  });

  it("keeps the code whole when a 600-character welcome that ends with it goes to a customer with a 300-character first name", () => {
    const template = `Hello {{first_name}}! ${textOf(600 - "Hello {{first_name}}! ".length - "{{coupon_code}}".length)}{{coupon_code}}`;
    expect(template).toHaveLength(600);
    const shop = shopWith({ templates: { "welcome.text": template }, couponCode: "WELCOME-SPRING-2026" });
    expect(templateProblem(shop, "welcome.text")).toBeNull();
    const text = buildWelcome(shop, "Bartholomew".repeat(28), "WELCOME-SPRING-2026").text;
    expect(text.length).toBeLessThanOrEqual(640);
    expect(text.endsWith("WELCOME-SPRING-2026")).toBe(true);
    expect(text).toMatch(/^Hello Bartholomew.*…! /);
  });

  it("keeps the order and tracking numbers whole in a shipping notice that fits with the longest values, whatever the carrier's name", () => {
    const template = `${textOf(640 - 130)} {{carrier}} {{order_name}}{{tracking_phrase}}`;
    const shop = shopWith({ templates: { "shipping.text": template } });
    expect(templateProblem(shop, "shipping.text")).toBeNull();
    const tracking = "9".repeat(40);
    const f = fulfillmentSchema.parse({ id: 1, order_id: 1, name: "#EU-1000001-B2B.1", tracking_company: "C".repeat(500), tracking_number: tracking });
    const { text } = buildShippingNotice(shop, f);
    expect(text.length).toBeLessThanOrEqual(640);
    expect(text.endsWith(`#EU-1000001-B2B Tracking number: ${tracking}.`)).toBe(true);
  });

  it("refuses promotional wording or a coupon's placeholder in an order's templates only", () => {
    expect(promotionProblem("shipping.text", "FLASH SALE… code SAVE30! Order {{order_name}} shipped")).toBe(
      'looks promotional ("FLASH SALE", "SAVE30"): Meta forbids promotions in messages that may go past the 24-hour window; keep this message about the order',
    );
    expect(promotionProblem("delivery.delivered", "Delivered! Here is {{coupon_code}}")).toMatch(/^looks promotional \("\{\{coupon_code\}\}"\)/);
    expect(promotionProblem("payment_reminder.text", "Pay now and get 10% off")).toMatch(/"10% off"/);
    expect(promotionProblem("shipping.button", "优惠码")).toMatch(/"优惠码"/);
    expect(promotionProblem("welcome.text", "FLASH SALE: {{coupon_code}}")).toBeNull();
    expect(promotionProblem("abandoned.text", "Your cart: 20% off today")).toBeNull();
    expect(templateProblem(shopWith({ templates: { "shipping.text": "Sale! {{order_name}}" } }), "shipping.text")).toMatch(/^looks promotional \("Sale"\)/);
    expect(TEMPLATE_LIMITS["shipping.text"]).toBe(640);
  });
});
