import { MESSAGE_TAGS } from "../../src/messages/limits";
import { MessageLimitError, parseSendBody } from "../../src/messages/validate";

const url = "https://demo-store.myshopify.com/";
const button = (title = "Open") => ({ type: "web_url", url, title });
const body = (message: object, extra: object = {}) => ({ page_id: "12345", recipient: { uuid: "u-1" }, message, ...extra });
const text = (n: number) => "x".repeat(n);

/** The error parseSendBody throws for `input`, or fails the test when it accepts it. */
function refusal(input: unknown): MessageLimitError {
  try {
    parseSendBody(input);
  } catch (err) {
    expect(err).toBeInstanceOf(MessageLimitError);
    return err as MessageLimitError;
  }
  throw new Error("accepted a body that breaks a rule");
}
const accepts = (input: unknown) => expect(() => parseSendBody(input)).not.toThrow();

describe("send_message body rules (JOINCHAT_API.md)", () => {
  describe("text", () => {
    it("accepts 640 characters and refuses 641, naming the field and the rule", () => {
      accepts(body({ template_type: "text", text: text(640) }));
      expect(refusal(body({ template_type: "text", text: text(641) }))).toMatchObject({ field: "message.text", rule: "at most 640 characters" });
    });
    it("counts UTF-16 units, the strictest count: 320 emoji fill 640", () => {
      accepts(body({ template_type: "text", text: "😀".repeat(320) }));
      expect(refusal(body({ template_type: "text", text: "😀".repeat(321) })).field).toBe("message.text");
    });
    it("refuses an empty text", () => {
      expect(refusal(body({ template_type: "text", text: "" })).rule).toBe("must not be empty");
    });
  });

  describe("button message", () => {
    it("accepts 1 to 3 buttons and refuses 0 and 4", () => {
      accepts(body({ template_type: "button", text: "t", buttons: [button()] }));
      accepts(body({ template_type: "button", text: "t", buttons: [button(), button(), button()] }));
      expect(refusal(body({ template_type: "button", text: "t", buttons: [] }))).toMatchObject({ field: "message.buttons", rule: "at least 1 button" });
      expect(refusal(body({ template_type: "button", text: "t", buttons: [button(), button(), button(), button()] }))).toMatchObject({ field: "message.buttons", rule: "at most 3 buttons" });
    });
    it("accepts a 20-character button title and refuses 21", () => {
      accepts(body({ template_type: "button", text: "t", buttons: [button(text(20))] }));
      expect(refusal(body({ template_type: "button", text: "t", buttons: [button(text(21))] }))).toMatchObject({ field: "message.buttons[0].title", rule: "at most 20 characters" });
    });
    it("applies the 20-character rule to postback buttons too, and needs a payload", () => {
      accepts(body({ template_type: "button", text: "t", buttons: [{ type: "postback", title: text(20), payload: '{"block_id":1}' }] }));
      expect(refusal(body({ template_type: "button", text: "t", buttons: [{ type: "postback", title: text(21), payload: "p" }] })).field).toBe("message.buttons[0].title");
      expect(refusal(body({ template_type: "button", text: "t", buttons: [{ type: "postback", title: "t" }] })).field).toBe("message.buttons[0].payload");
    });
    it("accepts the three webview heights and refuses another", () => {
      for (const h of ["compact", "tall", "full"]) accepts(body({ template_type: "button", text: "t", buttons: [{ ...button(), webview_height_ratio: h }] }));
      expect(refusal(body({ template_type: "button", text: "t", buttons: [{ ...button(), webview_height_ratio: "half" }] })).field).toBe("message.buttons[0].webview_height_ratio");
    });
    it("refuses a text over 640 above the buttons", () => {
      expect(refusal(body({ template_type: "button", text: text(641), buttons: [button()] })).field).toBe("message.text");
    });
    it("refuses an unknown button type and a URL that is not http(s)", () => {
      expect(refusal(body({ template_type: "button", text: "t", buttons: [{ type: "phone_number", title: "t", payload: "1" }] })).field).toBe("message.buttons[0].type");
      expect(refusal(body({ template_type: "button", text: "t", buttons: [{ type: "web_url", title: "t", url: "javascript:alert(1)" }] })).rule).toBe("must be an http(s) URL");
    });
  });

  describe("generic message", () => {
    const element = (over: object = {}) => ({ title: "Item", subtitle: "s", ...over });
    it("accepts 1 to 10 elements and refuses 11", () => {
      accepts(body({ template_type: "generic", elements: [element()] }));
      accepts(body({ template_type: "generic", elements: Array.from({ length: 10 }, () => element()) }));
      expect(refusal(body({ template_type: "generic", elements: Array.from({ length: 11 }, () => element()) }))).toMatchObject({ field: "message.elements", rule: "at most 10 elements" });
    });
    it("accepts 80-character titles and subtitles and refuses 81", () => {
      accepts(body({ template_type: "generic", elements: [element({ title: text(80), subtitle: text(80) })] }));
      expect(refusal(body({ template_type: "generic", elements: [element({ title: text(81) })] }))).toMatchObject({ field: "message.elements[0].title", rule: "at most 80 characters" });
      expect(refusal(body({ template_type: "generic", elements: [element({ subtitle: text(81) })] }))).toMatchObject({ field: "message.elements[0].subtitle", rule: "at most 80 characters" });
    });
    it("refuses an element with only a title", () => {
      expect(refusal(body({ template_type: "generic", elements: [{ title: "Only" }] })).rule).toMatch(/needs a subtitle, image_url, default_action or buttons/);
      accepts(body({ template_type: "generic", elements: [{ title: "Pic", image_url: url }] }));
      accepts(body({ template_type: "generic", elements: [{ title: "Tap", default_action: { type: "web_url", url } }] }));
    });
    it("accepts up to 3 buttons per element and refuses 4", () => {
      accepts(body({ template_type: "generic", elements: [element({ buttons: [button(), button(), button()] })] }));
      expect(refusal(body({ template_type: "generic", elements: [element({ buttons: [button(), button(), button(), button()] })] }))).toMatchObject({ field: "message.elements[0].buttons", rule: "at most 3 buttons" });
    });
    it("refuses a default_action with a title (it is a URL button without one)", () => {
      expect(refusal(body({ template_type: "generic", elements: [element({ default_action: { type: "web_url", url, title: "no" } })] })).rule).toMatch(/unknown field\(s\) title/);
    });
    it("accepts both aspect ratios and refuses another", () => {
      for (const r of ["horizontal", "square"]) accepts(body({ template_type: "generic", image_aspect_ratio: r, elements: [element()] }));
      expect(refusal(body({ template_type: "generic", image_aspect_ratio: "portrait", elements: [element()] })).field).toBe("message.image_aspect_ratio");
    });
  });

  describe("list message", () => {
    const element = (over: object = {}) => ({ title: "Item", subtitle: "s", ...over });
    it("accepts 2 to 4 elements and refuses 1 and 5", () => {
      accepts(body({ template_type: "list", elements: [element(), element()] }));
      accepts(body({ template_type: "list", elements: [element(), element(), element(), element()] }));
      expect(refusal(body({ template_type: "list", elements: [element()] }))).toMatchObject({ field: "message.elements", rule: "at least 2 elements" });
      expect(refusal(body({ template_type: "list", elements: Array.from({ length: 5 }, () => element()) }))).toMatchObject({ field: "message.elements", rule: "at most 4 elements" });
    });
    it("needs a subtitle or an image_url in each element", () => {
      expect(refusal(body({ template_type: "list", elements: [{ title: "a" }, element()] })).rule).toMatch(/needs a subtitle or an image_url/);
      accepts(body({ template_type: "list", elements: [{ title: "a", image_url: url }, element()] }));
    });
    it("allows at most 1 button under the list and 1 per element", () => {
      accepts(body({ template_type: "list", elements: [element({ buttons: [button()] }), element()], buttons: [button()] }));
      expect(refusal(body({ template_type: "list", elements: [element(), element()], buttons: [button(), button()] }))).toMatchObject({ field: "message.buttons", rule: "at most 1 button" });
      expect(refusal(body({ template_type: "list", elements: [element({ buttons: [button(), button()] }), element()] }))).toMatchObject({ field: "message.elements[0].buttons", rule: "at most 1 button" });
    });
    it("accepts compact and large top elements and refuses another", () => {
      for (const s of ["compact", "large"]) accepts(body({ template_type: "list", top_element_style: s, elements: [element(), element()] }));
      expect(refusal(body({ template_type: "list", top_element_style: "huge", elements: [element(), element()] })).field).toBe("message.top_element_style");
    });
  });

  describe("receipt", () => {
    const receipt = (over: object = {}) => ({
      template_type: "receipt",
      recipient_name: "Alan",
      order_number: "#1054",
      currency: "HKD",
      payment_method: "Visa 2345",
      summary: { total_cost: "394.00" },
      ...over,
    });
    it("accepts the required fields alone", () => accepts(body(receipt())));
    it.each(["recipient_name", "order_number", "currency", "payment_method", "summary"])("refuses a receipt without %s", (field) => {
      const r: Record<string, unknown> = receipt();
      delete r[field];
      expect(refusal(body(r)).field).toBe(`message.${field}`);
    });
    it("refuses a summary without total_cost", () => {
      expect(refusal(body(receipt({ summary: { subtotal: "1.00" } }))).field).toBe("message.summary.total_cost");
    });
    it("accepts 100 elements and refuses 101", () => {
      const el = { title: "Item", price: "1.00" };
      accepts(body(receipt({ elements: Array.from({ length: 100 }, () => el) })));
      expect(refusal(body(receipt({ elements: Array.from({ length: 101 }, () => el) })))).toMatchObject({ field: "message.elements", rule: "at most 100 elements" });
    });
    it("allows a price of 0 and needs decimal strings with a dot", () => {
      accepts(body(receipt({ elements: [{ title: "Gift", price: "0" }] })));
      accepts(body(receipt({ summary: { subtotal: "10", shipping_cost: "2.5", total_tax: "0.00", total_cost: "12.50" } })));
      expect(refusal(body(receipt({ summary: { total_cost: "12,50" } }))).field).toBe("message.summary.total_cost");
      expect(refusal(body(receipt({ summary: { total_cost: 12.5 } }))).field).toBe("message.summary.total_cost");
    });
    it("needs a two-letter country and a three-letter currency", () => {
      accepts(body(receipt({ address: { street_1: "1 Queen's Rd", city: "Hong Kong", postal_code: "", state: "", country: "HK" } })));
      expect(refusal(body(receipt({ address: { street_1: "1", city: "HK", postal_code: "", state: "", country: "HKG" } }))).field).toBe("message.address.country");
      expect(refusal(body(receipt({ currency: "HK$" }))).field).toBe("message.currency");
    });
    it("needs the timestamp as seconds in a string", () => {
      accepts(body(receipt({ timestamp: "1737615577" })));
      expect(refusal(body(receipt({ timestamp: 1737615577 }))).field).toBe("message.timestamp");
    });
  });

  describe("recipient, tag, delay, page and kind", () => {
    it("needs exactly one of id, phone, email or uuid", () => {
      for (const r of [{ id: "1" }, { phone: "+852" }, { email: "a@b.c" }, { uuid: "u" }]) accepts({ ...body({ template_type: "text", text: "t" }), recipient: r });
      expect(refusal({ ...body({ template_type: "text", text: "t" }), recipient: {} })).toMatchObject({ field: "recipient", rule: "exactly one of id, phone, email or uuid" });
      expect(refusal({ ...body({ template_type: "text", text: "t" }), recipient: { uuid: "u", email: "a@b.c" } })).toMatchObject({ field: "recipient", rule: "exactly one of id, phone, email or uuid" });
    });
    it("accepts each of the 17 tags and refuses an unknown one", () => {
      expect(MESSAGE_TAGS).toHaveLength(17);
      for (const tag of MESSAGE_TAGS) accepts(body({ template_type: "text", text: "t" }, { tag }));
      const err = refusal(body({ template_type: "text", text: "t" }, { tag: "PROMOTION" }));
      expect(err.field).toBe("tag");
      expect(err.rule).toMatch(/^must be one of BUSINESS_PRODUCTIVITY, /);
    });
    it("accepts a delay of 0 to 10 whole seconds and refuses 11, -1 and 1.5", () => {
      accepts(body({ template_type: "text", text: "t" }, { delay: 0 }));
      accepts(body({ template_type: "text", text: "t" }, { delay: 10 }));
      expect(refusal(body({ template_type: "text", text: "t" }, { delay: 11 }))).toMatchObject({ field: "delay", rule: "at most 10 seconds" });
      expect(refusal(body({ template_type: "text", text: "t" }, { delay: -1 })).field).toBe("delay");
      expect(refusal(body({ template_type: "text", text: "t" }, { delay: 1.5 })).rule).toBe("must be a whole number of seconds");
    });
    it("refuses an unknown template_type and unknown fields", () => {
      expect(refusal(body({ template_type: "media", text: "t" })).field).toBe("message.template_type");
      expect(refusal(body({ template_type: "text", text: "t", extra: 1 })).rule).toBe("unknown field(s) extra");
    });
    it("needs the numeric page id as a string", () => {
      expect(refusal({ ...body({ template_type: "text", text: "t" }), page_id: 12345 }).field).toBe("page_id");
    });
    it("names every broken rule when there are several", () => {
      const err = refusal(body({ template_type: "text", text: text(641) }, { delay: 11, tag: "X" }));
      expect(err.problems.map((p) => p.field).sort()).toEqual(["delay", "message.text", "tag"]);
    });
  });
});
