import { fitText, renderTemplate } from "../../src/messages/text";
import { buttonMessage, genericElement, genericMessage, listElement, listMessage, postbackButton, receiptMessage, sendBody, textMessage, urlButton } from "../../src/messages/builders";
import { parseSendBody } from "../../src/messages/validate";

describe("fitText", () => {
  it("leaves a text within the limit alone", () => {
    expect(fitText("hello", 5)).toBe("hello");
  });
  it("cuts with an ellipsis that counts toward the limit", () => {
    expect(fitText("abcdefghij", 5)).toBe("abcd…");
  });
  it("never splits a surrogate pair", () => {
    const out = fitText("😀😀😀😀", 6);
    expect(out).toBe("😀😀…");
    expect(out.length).toBeLessThanOrEqual(6);
  });
  it("keeps a letter with its combining accents together", () => {
    const e = "e\u0301"; // é as e + combining acute
    const out = fitText(e.repeat(5), 6);
    expect(out).toBe(`${e}${e}…`);
  });
  it("keeps a ZWJ family emoji whole or leaves it out", () => {
    const family = "👨‍👩‍👧‍👦"; // 11 UTF-16 units
    expect(fitText(`ab${family}cd`, 12)).toBe("ab…");
    expect(fitText(`ab${family}cd`, 14)).toBe(`ab${family}…`);
  });
  it("cuts CJK text by characters", () => {
    expect(fitText("測試商品名稱很長", 5)).toBe("測試商品…");
  });
});

describe("renderTemplate", () => {
  it("fills placeholders, with or without spaces in the braces, and empties unknown ones", () => {
    expect(renderTemplate("Hi {{first_name}}, {{ shop_name }}!{{nope}}", { first_name: "Alan", shop_name: "Demo" })).toBe("Hi Alan, Demo!");
  });
});

describe("builders", () => {
  const url = "https://demo-store.myshopify.com/";
  const wrap = (message: object) => parseSendBody(sendBody({ pageId: "1", recipient: { uuid: "u" }, message: message as never }));

  it("build bodies that pass validation, fitting long texts", () => {
    expect(() => wrap(textMessage("x".repeat(1000)))).not.toThrow();
    expect(textMessage("x".repeat(1000)).text).toHaveLength(640);
    const b = buttonMessage("t".repeat(700), [urlButton("A very long button title indeed", url), postbackButton("Postback title too long", '{"block_id":3}')]);
    expect(b.buttons.every((x) => x.title.length <= 20)).toBe(true);
    expect(() => wrap(b)).not.toThrow();
    const g = genericMessage([genericElement({ title: "T".repeat(300), subtitle: "S".repeat(300), image_url: url })]);
    expect(g.elements[0]!.title).toHaveLength(80);
    expect(() => wrap(g)).not.toThrow();
    const l = listMessage([listElement({ title: "a", subtitle: "b" }), listElement({ title: "c", image_url: url })], { top_element_style: "compact" });
    expect(() => wrap(l)).not.toThrow();
    const r = receiptMessage({ recipient_name: "A", order_number: "#1", currency: "USD", payment_method: "Visa", summary: { total_cost: "1.00" }, elements: [{ title: "x".repeat(200), price: "1.00" }] });
    expect(r.elements![0]!.title.length).toBe(80);
    expect(() => wrap(r)).not.toThrow();
  });

  it("do not cut counts: four buttons are refused by validation, naming the rule", () => {
    const b = buttonMessage("t", [urlButton("1", url), urlButton("2", url), urlButton("3", url), urlButton("4", url)]);
    expect(() => wrap(b)).toThrow("message.buttons: at most 3 buttons");
  });

  it("sendBody carries tag and delay only when given", () => {
    expect(sendBody({ pageId: "1", recipient: { uuid: "u" }, message: textMessage("t") })).toEqual({ page_id: "1", recipient: { uuid: "u" }, message: { template_type: "text", text: "t" } });
    expect(sendBody({ pageId: "1", recipient: { uuid: "u" }, message: textMessage("t"), tag: "PAYMENT_UPDATE", delay: 2 })).toMatchObject({ tag: "PAYMENT_UPDATE", delay: 2 });
  });
});

describe("money", () => {
  it("converts without float error, to the currency's decimals", async () => {
    const { money, toMinor, fromMinor, currencyDecimals } = await import("../../src/automations/money");
    expect(money("0.1", "USD")).toBe("0.10");
    expect(fromMinor(toMinor("0.1", 2) + toMinor("0.2", 2), 2)).toBe("0.30");
    expect(money("1234.5", "JPY")).toBe("1235");
    expect(currencyDecimals("KWD")).toBe(3);
    expect(money("12.345", "KWD")).toBe("12.345");
    expect(money("-5.5", "HKD")).toBe("-5.50");
    expect(money("99999999999999999.99", "USD")).toBe("99999999999999999.99");
    expect(() => toMinor("1e3", 2)).toThrow();
  });
});
