import {
  buttonMessage,
  genericElement,
  genericMessage,
  listElement,
  listMessage,
  postbackButton,
  receiptMessage,
  sendBody,
  textMessage,
  urlButton,
} from "../../src/messages/builders";
import type { Message } from "../../src/messages/schema";
import { MessageLimitError, parseSendBody } from "../../src/messages/validate";
import { wireBody } from "../../src/messages/wire";

const url = "https://demo-store.myshopify.com/";
const wrap = (message: Message) => sendBody({ pageId: "12345", recipient: { uuid: "u-1" }, message });
// Checked as JoinChat reads the bytes the app sends (amounts as number tokens).
const valid = (message: Message) => expect(() => wireBody(wrap(message))).not.toThrow();

function refusal(message: Message): MessageLimitError {
  try {
    wireBody(wrap(message));
  } catch (err) {
    expect(err).toBeInstanceOf(MessageLimitError);
    return err as MessageLimitError;
  }
  throw new Error("parseSendBody accepted a body that breaks a rule");
}

/** `out` is a cut of `input`: at most `max` units, ending in "…", starting with the input's text. */
function expectFitted(out: string, input: string, max: number): void {
  expect(out.length).toBeLessThanOrEqual(max);
  expect(out.endsWith("…")).toBe(true);
  expect(input.startsWith(out.slice(0, -1))).toBe(true);
}

describe("textMessage", () => {
  it("builds a text message that passes validation, leaving a short text as written", () => {
    const m = textMessage("Hello World");
    expect(m).toEqual({ template_type: "text", text: "Hello World" });
    valid(m);
  });
  it("fits a 1000-character text to 640 and passes validation", () => {
    const long = "x".repeat(1000);
    const m = textMessage(long);
    expect(m.text).toHaveLength(640);
    expectFitted(m.text, long, 640);
    valid(m);
  });
  it("fits a long emoji text without leaving half an emoji", () => {
    const m = textMessage("😀".repeat(400)); // 800 units
    expect(m.text).toBe(`${"😀".repeat(319)}…`);
    valid(m);
  });
});

describe("buttons and button message", () => {
  it("urlButton fits a long title to 20 and carries its options", () => {
    const b = urlButton("A very long button title indeed", url, { webview_height_ratio: "tall", messenger_extensions: true, fallback_url: url });
    expect(b).toEqual({ type: "web_url", url, title: "A very long button…", webview_height_ratio: "tall", messenger_extensions: true, fallback_url: url });
  });
  it("postbackButton fits a long title to 20 and keeps the payload as given", () => {
    const b = postbackButton("完成訂單並查看物流狀態的按鈕文字過長了很多字", '{"block_id":3}'); // 22 characters
    expect(b.title).toBe("完成訂單並查看物流狀態的按鈕文字過長了…");
    expect(b.payload).toBe('{"block_id":3}');
  });
  it("buttonMessage fits its text to 640 and passes validation with fitted button titles", () => {
    const long = "t".repeat(700);
    const m = buttonMessage(long, [urlButton("x".repeat(25), url), postbackButton("y".repeat(25), '{"flow_id":9}')], { sharable: true });
    expectFitted(m.text, long, 640);
    for (const b of m.buttons) expect(b.title.length).toBeLessThanOrEqual(20);
    expect(m.sharable).toBe(true);
    valid(m);
  });
  it("does not drop buttons: four are kept and refused by validation as message.buttons: at most 3 buttons", () => {
    const m = buttonMessage(
      "t",
      ["1", "2", "3", "4"].map((t) => urlButton(t, url)),
    );
    expect(m.buttons).toHaveLength(4);
    expect(refusal(m)).toMatchObject({ field: "message.buttons", rule: "at most 3 buttons" });
  });
});

describe("generic message", () => {
  it("genericElement fits title and subtitle to 80 and keeps the rest", () => {
    const title = "T".repeat(300);
    const subtitle = "S".repeat(300);
    const e = genericElement({ title, subtitle, image_url: url, default_action: { type: "web_url", url }, buttons: [urlButton("Buy", url)] });
    expectFitted(e.title, title, 80);
    expectFitted(e.subtitle!, subtitle, 80);
    expect(e.image_url).toBe(url);
    expect(e.default_action).toEqual({ type: "web_url", url });
    expect(e.buttons).toEqual([{ type: "web_url", url, title: "Buy" }]);
  });
  it("genericElement adds no subtitle when none was given", () => {
    expect(genericElement({ title: "T", image_url: url })).toEqual({ title: "T", image_url: url });
  });
  it("genericMessage passes validation with its options", () => {
    const m = genericMessage([genericElement({ title: "👨‍👩‍👧‍👦".repeat(10), subtitle: "s", image_url: url })], { image_aspect_ratio: "square", sharable: false });
    expect(m.image_aspect_ratio).toBe("square");
    valid(m);
  });
  it("does not drop elements: eleven are kept and refused as message.elements: at most 10 elements", () => {
    const m = genericMessage(Array.from({ length: 11 }, (_, i) => genericElement({ title: `Item ${i}`, subtitle: "s" })));
    expect(m.elements).toHaveLength(11);
    expect(refusal(m)).toMatchObject({ field: "message.elements", rule: "at most 10 elements" });
  });
  it("does not invent a second property: an element with only a title is refused", () => {
    expect(refusal(genericMessage([genericElement({ title: "Only" })])).field).toBe("message.elements[0]");
  });
});

describe("list message", () => {
  it("listElement fits title and subtitle to 80", () => {
    const e = listElement({ title: "é".normalize("NFD").repeat(60), subtitle: "s".repeat(81) });
    expect(e.title.length).toBeLessThanOrEqual(80);
    expect(e.title.endsWith("e\u0301…")).toBe(true); // the accent stays with its letter
    expect(e.subtitle).toHaveLength(80);
  });
  it("listMessage passes validation with its options", () => {
    const m = listMessage([listElement({ title: "a", subtitle: "b" }), listElement({ title: "c", image_url: url })], {
      top_element_style: "compact",
      buttons: [postbackButton("More", '{"block_id":1}')],
      sharable: true,
    });
    valid(m);
  });
  it("does not drop elements: one or five are refused by validation", () => {
    const el = () => listElement({ title: "a", subtitle: "b" });
    expect(refusal(listMessage([el()]))).toMatchObject({ field: "message.elements", rule: "at least 2 elements" });
    expect(refusal(listMessage([el(), el(), el(), el(), el()]))).toMatchObject({ field: "message.elements", rule: "at most 4 elements" });
  });
});

describe("receiptMessage", () => {
  const base = { recipient_name: "Alan", order_number: "#1054", currency: "HKD", payment_method: "Visa 2345", summary: { total_cost: "394.00" } };
  it("builds a receipt that passes validation, fitting element titles and subtitles to 80", () => {
    const title = "x".repeat(200);
    const m = receiptMessage({ ...base, elements: [{ title, subtitle: "y".repeat(90), price: "0", quantity: 1 }] });
    expect(m.template_type).toBe("receipt");
    expectFitted(m.elements![0]!.title, title, 80);
    expect(m.elements![0]!.subtitle!.length).toBeLessThanOrEqual(80);
    expect(m.elements![0]!.price).toBe("0");
    valid(m);
  });
  it("adds no elements when none were given", () => {
    expect(receiptMessage(base)).toEqual({ template_type: "receipt", ...base });
  });
  it("does not drop elements: 101 are refused as message.elements: at most 100 elements", () => {
    const m = receiptMessage({ ...base, elements: Array.from({ length: 101 }, () => ({ title: "Item", price: "1.00" })) });
    expect(m.elements).toHaveLength(101);
    expect(refusal(m)).toMatchObject({ field: "message.elements", rule: "at most 100 elements" });
  });
});

describe("sendBody", () => {
  it("builds the vendor's example body", () => {
    const b = sendBody({ pageId: "12345", recipient: { id: "123456" }, message: textMessage("Hello World"), tag: "ACCOUNT_UPDATE", delay: 1 });
    expect(b).toEqual({ page_id: "12345", recipient: { id: "123456" }, message: { template_type: "text", text: "Hello World" }, tag: "ACCOUNT_UPDATE", delay: 1 });
    expect(parseSendBody(b)).toEqual(b);
  });
  it("carries tag and delay only when given, and keeps a delay of 0", () => {
    const b = sendBody({ pageId: "1", recipient: { uuid: "u" }, message: textMessage("t") });
    expect(Object.keys(b).sort()).toEqual(["message", "page_id", "recipient"]);
    expect(sendBody({ pageId: "1", recipient: { uuid: "u" }, message: textMessage("t"), delay: 0 }).delay).toBe(0);
  });
  it("does not clamp the delay: 11 is refused by validation", () => {
    const b = sendBody({ pageId: "1", recipient: { uuid: "u" }, message: textMessage("t"), delay: 11 });
    expect(() => parseSendBody(b)).toThrow("delay: at most 10 seconds");
  });
});
