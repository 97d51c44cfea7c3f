import { promotionalWords, templatedTexts } from "../../src/policy/promotional-text";
import { buttonMessage, textMessage, urlButton } from "../../src/messages/builders";

/** Each case: the text, the words found (none: not promotional). */
const CASES: [string, string[]][] = [
  // The audit's shipping template, and offers as shops write them.
  ["FLASH SALE… code SAVE30 on your next order", ["FLASH SALE", "SAVE30"]],
  ["Your order has shipped. Use code THANKS for 20% off your next order", ["Use code", "20% off"]],
  ["Something off your next order, as thanks", ["off your next order"]],
  ["Here is a coupon for you", ["coupon"]],
  ["Get a discount on accessories", ["discount"]],
  ["Our summer sale ends Sunday", ["sale"]],
  ["Sales start tomorrow", ["Sales"]],
  ["Enjoy free shipping on everything", ["free shipping"]],
  ["Deals of the week inside", ["Deals"]],
  ["Take $10 off, or 5 EUR off the next", ["$10 off", "5 EUR off"]],
  ["Save up to 50 today", ["Save up to 50"]],
  ["A special offer, for a limited time", ["special offer", "limited time"]],
  ["Your promo code is inside", ["promo code"]],
  ["Shop now with WELCOME10", ["Shop now", "WELCOME10"]],
  ["Buy one, get one: BOGO", ["Buy one, get one", "BOGO"]],
  ["Thanks {{first_name}}, your code: {{coupon_code}}", ["{{coupon_code}}"]],
  ["{{ rewards }} and {{points}}", ["{{ rewards }}", "{{points}}"]],
  ["sale, SALE and Sale: each once", ["sale"]],
  // Chinese.
  ["您的订单已发货，下单再享8折优惠！", ["8折", "优惠"]],
  ["使用优惠码 SAVE30 享受折扣", ["SAVE30", "优惠码", "折扣"]],
  ["全场包邮，限时促销", ["包邮", "促销"]],
  ["八折特价清仓", ["八折", "特价", "清仓"]],
  // Not promotional: a word merely containing one, an order described, an order name, a fabric.
  ["Good news, Alan: your order #1001 has shipped with UPS. Tracking number: 1Z999AA10123456784.", []],
  ["Your wholesale order from Salem has shipped", []],
  ["Your discounted items have shipped", []],
  ["The sales tax was refunded; at the point of sale the clerk dealt with it", []],
  ["We will deal with the carrier for you", []],
  ["Your order #SALE-1001 has shipped", []],
  ["A 100% cotton shirt is on its way", []],
  ["Free returns within 30 days", []],
  ["Tracking code: 1Z999AA10123456784", []],
  ["您的订单 {{order_name}} 已发货，请查看折叠说明", []],
  ["Use the tracking page to follow your parcel", []],
];

describe("promotionalWords: whether a text reads as a promotion", () => {
  it.each(CASES)("%s", (text, words) => {
    expect(promotionalWords(text)).toEqual(words);
  });

  it("does not read the shop's own name, which every message may carry", () => {
    expect(promotionalWords("Your parcel from Super Deals Ltd has been delivered.", ["Super Deals Ltd"])).toEqual([]);
    expect(promotionalWords("Your parcel from Super Deals Ltd has been delivered.")).toEqual(["Deals"]);
    expect(promotionalWords("Super Deals Ltd: 10% off today", ["Super Deals Ltd"])).toEqual(["10% off"]);
  });
});

describe("templatedTexts: what of a message a template wrote", () => {
  it("reads a text, a button message's text and its button titles", () => {
    expect(templatedTexts(textMessage("Hi"))).toEqual(["Hi"]);
    expect(templatedTexts(buttonMessage("Shipped", [urlButton("Track package", "https://example.com/t")]))).toEqual(["Shipped", "Track package"]);
  });
});
