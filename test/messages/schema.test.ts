import { MessageLimitError, parseSendBody } from "../../src/messages/validate";

/**
 * One test per rule of JOINCHAT_API.md: the value at the limit passes, one past it is refused
 * with a MessageLimitError naming the field and the rule. Limits are written out here as the
 * vendor states them, not read from LIMITS, so a wrong constant fails a test.
 */

const url = "https://demo-store.myshopify.com/";
const x = (n: number) => "x".repeat(n);
const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

const urlButton = (title = "Open", over: object = {}) => ({ type: "web_url", url, title, ...over });
const postbackButton = (title = "Go", payload = '{"block_id":1}') => ({ type: "postback", title, payload });
const element = (over: object = {}) => ({ title: "Item", subtitle: "Sub", ...over });

const body = (message: object, extra: object = {}) => ({ page_id: "12345", recipient: { uuid: "u-1" }, message, ...extra });
const textBody = (extra: object = {}) => body({ template_type: "text", text: "Hello" }, extra);
const buttonBody = (buttons: object[], over: object = {}) => body({ template_type: "button", text: "Pick one", buttons, ...over });
const genericBody = (elements: object[], over: object = {}) => body({ template_type: "generic", elements, ...over });
const listBody = (elements: object[], over: object = {}) => body({ template_type: "list", elements, ...over });
const receipt = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  template_type: "receipt",
  recipient_name: "Alan Turing",
  order_number: "#1054",
  currency: "HKD",
  payment_method: "Visa 2345",
  summary: { total_cost: 394.0 },
  ...over,
});

function accepts(input: unknown): void {
  expect(() => parseSendBody(input)).not.toThrow();
}

/** The error parseSendBody throws for `input`; fails the test when the body is accepted. */
function refusal(input: unknown): MessageLimitError {
  try {
    parseSendBody(input);
  } catch (err) {
    expect(err).toBeInstanceOf(MessageLimitError);
    return err as MessageLimitError;
  }
  throw new Error("parseSendBody accepted a body that breaks a rule");
}

function refuses(input: unknown, field: string, rule: string | RegExp): void {
  const err = refusal(input);
  expect(err.field).toBe(field);
  if (typeof rule === "string") expect(err.rule).toBe(rule);
  else expect(err.rule).toMatch(rule);
}

describe("text message", () => {
  it("accepts a 640-character text", () => accepts(body({ template_type: "text", text: x(640) })));
  it("refuses a 641-character text as message.text: at most 640 characters", () =>
    refuses(body({ template_type: "text", text: x(641) }), "message.text", "at most 640 characters"));
  it("counts UTF-16 units: 320 emoji (640 units) pass, 321 are refused", () => {
    accepts(body({ template_type: "text", text: "😀".repeat(320) }));
    refuses(body({ template_type: "text", text: "😀".repeat(321) }), "message.text", "at most 640 characters");
  });
  it("refuses an empty text", () => refuses(body({ template_type: "text", text: "" }), "message.text", "must not be empty"));
  it("refuses a text message without text as required", () => refuses(body({ template_type: "text" }), "message.text", "required"));
});

describe("buttons", () => {
  it.each([
    ["URL", urlButton],
    ["postback", (title: string) => postbackButton(title)],
  ])("a %s button title of 20 characters passes", (_, make) => accepts(buttonBody([make(x(20))])));

  it.each([
    ["URL", urlButton],
    ["postback", (title: string) => postbackButton(title)],
  ])("a %s button title of 21 characters is refused as message.buttons[0].title: at most 20 characters", (_, make) =>
    refuses(buttonBody([make(x(21))]), "message.buttons[0].title", "at most 20 characters"),
  );

  it("names the index of the over-long button title", () => refuses(buttonBody([urlButton(), urlButton(), urlButton(x(21))]), "message.buttons[2].title", "at most 20 characters"));

  it("a postback button's payload starts a JoinChat block or flow", () => {
    accepts(buttonBody([postbackButton("Talk to us", '{"block_id":12}')]));
    accepts(buttonBody([postbackButton("Track my order", '{"flow_id":3}')]));
    for (const bad of ['{"block_id":0}', '{"block_id":"12"}', '{"menu":1}', "DEVELOPER_DEFINED_PAYLOAD"]) {
      refuses(buttonBody([postbackButton("Go", bad)]), "message.buttons[0].payload", 'must be {"block_id":N} or {"flow_id":N}, N a positive whole number');
    }
  });
  it("a postback button needs a payload", () => refuses(buttonBody([{ type: "postback", title: "Go" }]), "message.buttons[0].payload", "required"));

  it.each(["compact", "tall", "full"])("webview_height_ratio %s passes", (ratio) => accepts(buttonBody([urlButton("Open", { webview_height_ratio: ratio })])));

  it("webview_height_ratio outside compact/tall/full is refused", () =>
    refuses(buttonBody([urlButton("Open", { webview_height_ratio: "half" })]), "message.buttons[0].webview_height_ratio", "must be one of compact, tall, full"));

  it("accepts messenger_extensions and fallback_url on URL buttons (as the list examples show)", () =>
    accepts(buttonBody([urlButton("Open", { messenger_extensions: true, fallback_url: url })])));

  it("refuses an unknown button type", () =>
    refuses(buttonBody([{ type: "phone_number", title: "Call", payload: "+852" }]), "message.buttons[0].type", "must be one of web_url, postback"));

  it("refuses a URL that is not http(s)", () => refuses(buttonBody([urlButton("Open", { url: "javascript:alert(1)" })]), "message.buttons[0].url", "must be an http(s) URL"));
});

describe("button message", () => {
  it.each([1, 2, 3])("accepts %i button(s)", (n) => accepts(buttonBody(times(n, () => urlButton()))));
  it("refuses 0 buttons as message.buttons: at least 1 button", () => refuses(buttonBody([]), "message.buttons", "at least 1 button"));
  it("refuses 4 buttons as message.buttons: at most 3 buttons", () => refuses(buttonBody(times(4, () => urlButton())), "message.buttons", "at most 3 buttons"));
  it("accepts a 640-character text above the buttons", () => accepts(buttonBody([urlButton()], { text: x(640) })));
  it("refuses a 641-character text above the buttons", () => refuses(buttonBody([urlButton()], { text: x(641) }), "message.text", "at most 640 characters"));
  it("accepts sharable", () => accepts(buttonBody([urlButton()], { sharable: true })));
});

describe("generic message", () => {
  it.each([1, 10])("accepts %i element(s)", (n) => accepts(genericBody(times(n, () => element()))));
  it("refuses 11 elements as message.elements: at most 10 elements", () => refuses(genericBody(times(11, () => element())), "message.elements", "at most 10 elements"));
  it("refuses 0 elements", () => refuses(genericBody([]), "message.elements", "at least 1 element"));

  it("accepts an 80-character title and an 80-character subtitle", () => accepts(genericBody([element({ title: x(80), subtitle: x(80) })])));
  it("refuses an 81-character title as message.elements[0].title: at most 80 characters", () =>
    refuses(genericBody([element({ title: x(81) })]), "message.elements[0].title", "at most 80 characters"));
  it("refuses an 81-character subtitle as message.elements[0].subtitle: at most 80 characters", () =>
    refuses(genericBody([element({ subtitle: x(81) })]), "message.elements[0].subtitle", "at most 80 characters"));
  it("names the index of the element that breaks the rule", () =>
    refuses(genericBody([element(), element(), element({ title: x(81) })]), "message.elements[2].title", "at most 80 characters"));

  it("refuses an element with only a title", () =>
    refuses(genericBody([{ title: "Only a title" }]), "message.elements[0]", "needs a subtitle, image_url, default_action or buttons besides the title"));
  it.each([
    ["subtitle", { subtitle: "s" }],
    ["image_url", { image_url: url }],
    ["default_action", { default_action: { type: "web_url", url } }],
    ["buttons", { buttons: [urlButton()] }],
  ])("accepts a title with %s as the one more property", (_, extra) => accepts(genericBody([{ title: "T", ...extra }])));

  it("accepts 3 buttons on an element", () => accepts(genericBody([element({ buttons: times(3, () => urlButton()) })])));
  it("refuses 4 buttons on an element", () => refuses(genericBody([element({ buttons: times(4, () => urlButton()) })]), "message.elements[0].buttons", "at most 3 buttons"));
  it("refuses a 21-character title on an element's button", () =>
    refuses(genericBody([element({ buttons: [urlButton(x(21))] })]), "message.elements[0].buttons[0].title", "at most 20 characters"));

  it("refuses a default_action with a title (it is a URL button without one)", () =>
    refuses(genericBody([element({ default_action: { type: "web_url", url, title: "No" } })]), "message.elements[0].default_action", "unknown field(s) title"));
  it.each(["compact", "tall", "full"])("accepts default_action webview_height_ratio %s", (ratio) =>
    accepts(genericBody([element({ default_action: { type: "web_url", url, webview_height_ratio: ratio } })])),
  );
  it("refuses another default_action webview_height_ratio", () =>
    refuses(
      genericBody([element({ default_action: { type: "web_url", url, webview_height_ratio: "half" } })]),
      "message.elements[0].default_action.webview_height_ratio",
      "must be one of compact, tall, full",
    ));

  it.each(["horizontal", "square"])("accepts image_aspect_ratio %s", (ratio) => accepts(genericBody([element()], { image_aspect_ratio: ratio })));
  it("refuses another image_aspect_ratio", () =>
    refuses(genericBody([element()], { image_aspect_ratio: "portrait" }), "message.image_aspect_ratio", "must be one of horizontal, square"));
});

describe("list message", () => {
  it.each([2, 3, 4])("accepts %i elements", (n) => accepts(listBody(times(n, () => element()))));
  it("refuses 1 element as message.elements: at least 2 elements", () => refuses(listBody([element()]), "message.elements", "at least 2 elements"));
  it("refuses 5 elements as message.elements: at most 4 elements", () => refuses(listBody(times(5, () => element())), "message.elements", "at most 4 elements"));

  it("accepts 80-character titles and subtitles", () => accepts(listBody([element({ title: x(80), subtitle: x(80) }), element()])));
  it("refuses an 81-character title", () => refuses(listBody([element(), element({ title: x(81) })]), "message.elements[1].title", "at most 80 characters"));
  it("refuses an 81-character subtitle", () => refuses(listBody([element(), element({ subtitle: x(81) })]), "message.elements[1].subtitle", "at most 80 characters"));

  it.each([
    ["subtitle", { subtitle: "s" }],
    ["image_url", { image_url: url }],
  ])("accepts an element with a title and a %s", (_, extra) => accepts(listBody([{ title: "T", ...extra }, element()])));
  it.each([
    ["only a title", {}],
    ["a title and a default_action", { default_action: { type: "web_url", url } }],
    ["a title and a button", { buttons: [urlButton()] }],
  ])("refuses an element with %s (it needs a subtitle or an image_url)", (_, extra) =>
    refuses(listBody([{ title: "T", ...extra }, element()]), "message.elements[0]", "needs a subtitle or an image_url besides the title"),
  );

  it("accepts 1 button under the list", () => accepts(listBody([element(), element()], { buttons: [urlButton()] })));
  it("refuses 2 buttons under the list as message.buttons: at most 1 button", () =>
    refuses(listBody([element(), element()], { buttons: [urlButton(), urlButton()] }), "message.buttons", "at most 1 button"));
  it("refuses an empty button list under the list", () => refuses(listBody([element(), element()], { buttons: [] }), "message.buttons", "at least 1 button when present"));
  it("accepts 1 button on an element", () => accepts(listBody([element({ buttons: [postbackButton()] }), element()])));
  it("refuses 2 buttons on an element", () => refuses(listBody([element({ buttons: [urlButton(), urlButton()] }), element()]), "message.elements[0].buttons", "at most 1 button"));

  it.each(["compact", "large"])("accepts top_element_style %s", (style) => accepts(listBody([element(), element()], { top_element_style: style })));
  it("refuses another top_element_style", () =>
    refuses(listBody([element(), element()], { top_element_style: "huge" }), "message.top_element_style", "must be one of compact, large"));
});

describe("receipt message", () => {
  // Bodies as JoinChat reads them (JSON.parse of the bytes): amounts are JSON numbers. That the
  // app writes its exact decimals as number tokens is test/messages/wire.test.ts.
  it("accepts the required fields alone", () => accepts(body(receipt())));
  it("accepts every optional field", () =>
    accepts(
      body(
        receipt({
          order_url: url,
          timestamp: "1737615577",
          address: { street_1: "1 Queen's Rd", street_2: "Flat 2", city: "Hong Kong", postal_code: "000", state: "HK", country: "HK" },
          summary: { subtotal: 400.0, shipping_cost: 4.0, total_tax: 0.0, total_cost: 394.0 },
          adjustments: [{ name: "WELCOME10", amount: 10.0 }],
          elements: [{ title: "Mug", subtitle: "Blue", quantity: 2, price: 5.0, currency: "HKD", image_url: url }],
          sharable: false,
        }),
      ),
    ));

  it.each(["recipient_name", "order_number", "currency", "payment_method", "summary"])("refuses a receipt without %s, naming it as required", (field) => {
    const r = receipt();
    delete r[field];
    refuses(body(r), `message.${field}`, "required");
  });
  it("refuses a summary without total_cost", () => refuses(body(receipt({ summary: { subtotal: 1 } })), "message.summary.total_cost", "required"));

  it("accepts 100 elements", () => accepts(body(receipt({ elements: times(100, () => ({ title: "Item", price: 1 })) }))));
  it("refuses 101 elements as message.elements: at most 100 elements", () =>
    refuses(body(receipt({ elements: times(101, () => ({ title: "Item", price: 1 })) })), "message.elements", "at most 100 elements"));
  it("accepts 80-character element titles and subtitles and refuses 81", () => {
    accepts(body(receipt({ elements: [{ title: x(80), subtitle: x(80), price: 1 }] })));
    refuses(body(receipt({ elements: [{ title: x(81), price: 1 }] })), "message.elements[0].title", "at most 80 characters");
    refuses(body(receipt({ elements: [{ title: "T", subtitle: x(81), price: 1 }] })), "message.elements[0].subtitle", "at most 80 characters");
  });
  it("an element needs a price", () => refuses(body(receipt({ elements: [{ title: "T" }] })), "message.elements[0].price", "required"));
  it("allows a price of 0", () => accepts(body(receipt({ elements: [{ title: "Gift", price: 0 }] }))));

  it.each([12, 12.5, 0.001, -3.2])("accepts the number %s as an amount", (amount) =>
    accepts(body(receipt({ summary: { subtotal: amount, shipping_cost: amount, total_tax: amount, total_cost: amount } }))),
  );
  it.each(["394.00", "12", ""])("refuses the string %j as an amount: JoinChat types amounts Number", (amount) =>
    refuses(body(receipt({ summary: { total_cost: amount } })), "message.summary.total_cost", "must be a JSON number (e.g. 12.50), not a string"),
  );
  it.each([
    ["subtotal", "message.summary.subtotal", { summary: { subtotal: "1.00", total_cost: 1 } }],
    ["shipping_cost", "message.summary.shipping_cost", { summary: { shipping_cost: "1.00", total_cost: 1 } }],
    ["total_tax", "message.summary.total_tax", { summary: { total_tax: "1.00", total_cost: 1 } }],
    ["an adjustment amount", "message.adjustments[0].amount", { adjustments: [{ name: "Coupon", amount: "1.00" }] }],
    ["an element price", "message.elements[0].price", { elements: [{ title: "T", price: "1.00" }] }],
  ])("refuses %s written as a string too", (_, field, over) => refuses(body(receipt(over)), field, /^must be a JSON number/));

  it("needs a two-letter country and a three-letter currency", () => {
    refuses(
      body(receipt({ address: { street_1: "1", city: "HK", postal_code: "0", state: "HK", country: "HKG" } })),
      "message.address.country",
      "must be a two-letter country code",
    );
    refuses(body(receipt({ currency: "HK$" })), "message.currency", "must be a three-letter currency code");
  });
  it("refuses an address with an empty postal_code or state (leave the address out instead)", () => {
    const a = { street_1: "1 Queen's Rd", city: "Hong Kong", country: "HK" };
    refuses(body(receipt({ address: { ...a, postal_code: "", state: "HK" } })), "message.address.postal_code", /^must not be empty/);
    refuses(body(receipt({ address: { ...a, postal_code: "000", state: "" } })), "message.address.state", /^must not be empty/);
  });
  it("needs the timestamp as seconds in a string", () => {
    accepts(body(receipt({ timestamp: "1737615577" })));
    refuses(body(receipt({ timestamp: 1737615577 })), "message.timestamp", "must be a string");
  });
});

describe("recipient", () => {
  it.each([{ id: "123456" }, { phone: "+85212345678" }, { email: "alan@example.com" }, { uuid: "u-1" }])("accepts exactly one key: %j", (recipient) =>
    accepts({ ...textBody(), recipient }),
  );
  it("refuses a recipient with none of id, phone, email, uuid", () => refuses({ ...textBody(), recipient: {} }, "recipient", "exactly one of id, phone, email or uuid"));
  it.each([
    { id: "1", uuid: "u" },
    { phone: "+852", email: "a@b.c" },
    { id: "1", phone: "+852", email: "a@b.c", uuid: "u" },
  ])("refuses a recipient with more than one: %j", (recipient) => refuses({ ...textBody(), recipient }, "recipient", "exactly one of id, phone, email or uuid"));
  it("refuses an empty id", () => refuses({ ...textBody(), recipient: { id: "" } }, "recipient.id", "must not be empty"));
  it("refuses an unknown recipient key", () => refuses({ ...textBody(), recipient: { psid: "1" } }, "recipient", "unknown field(s) psid"));
});

describe("tag", () => {
  // The 17 tags JOINCHAT_API.md lists, written out so that a tag missing from limits.ts fails.
  const TAGS = [
    "BUSINESS_PRODUCTIVITY",
    "COMMUNITY_ALERT",
    "CONFIRMED_EVENT_REMINDER",
    "NON_PROMOTIONAL_SUBSCRIPTION",
    "PAIRING_UPDATE",
    "APPLICATION_UPDATE",
    "ACCOUNT_UPDATE",
    "PAYMENT_UPDATE",
    "PERSONAL_FINANCE_UPDATE",
    "SHIPPING_UPDATE",
    "RESERVATION_UPDATE",
    "ISSUE_RESOLUTION",
    "APPOINTMENT_UPDATE",
    "GAME_EVENT",
    "TRANSPORTATION_UPDATE",
    "FEATURE_FUNCTIONALITY_UPDATE",
    "TICKET_UPDATE",
  ];
  // Meta's names since 2020 that a shop may choose (JOINCHAT_API.md, "Meta's rules today").
  const META_TAGS = ["POST_PURCHASE_UPDATE", "CONFIRMED_EVENT_UPDATE", "ACCOUNT_UPDATE"];
  it("the list written here has the 17 tags of the API page", () => expect(new Set(TAGS).size).toBe(17));
  it.each(TAGS)("accepts %s", (tag) => accepts(textBody({ tag })));
  it.each(META_TAGS)("accepts Meta's %s", (tag) => accepts(textBody({ tag })));
  it.each(["PROMOTION", "payment_update", "HUMAN_AGENT", ""])("refuses the unknown tag %j, listing the allowed ones", (tag) =>
    refuses(textBody({ tag }), "tag", /^must be one of BUSINESS_PRODUCTIVITY, COMMUNITY_ALERT, .*TICKET_UPDATE, POST_PURCHASE_UPDATE, CONFIRMED_EVENT_UPDATE$/),
  );
  it("accepts a body without a tag", () => accepts(textBody()));
});

describe("delay", () => {
  it.each([0, 10])("accepts a delay of %i seconds", (delay) => accepts(textBody({ delay })));
  it("refuses 11 as delay: at most 10 seconds", () => refuses(textBody({ delay: 11 }), "delay", "at most 10 seconds"));
  it("refuses -1 as delay: at least 0", () => refuses(textBody({ delay: -1 }), "delay", "at least 0"));
  it("refuses 1.5 as delay: a whole number of seconds", () => refuses(textBody({ delay: 1.5 }), "delay", "must be a whole number of seconds"));
  it("refuses a delay sent as a string", () => refuses(textBody({ delay: "1" }), "delay", "must be a number"));
});

describe("body", () => {
  it("refuses an unknown template_type, listing the five kinds", () =>
    refuses(body({ template_type: "media", text: "t" }), "message.template_type", "must be one of text, button, generic, list, receipt"));
  it("refuses unknown fields in the message", () => refuses(body({ template_type: "text", text: "t", extra: 1 }), "message", "unknown field(s) extra"));
  it("refuses unknown fields at the top level", () => refuses(textBody({ priority: "high" }), "body", "unknown field(s) priority"));
  it("takes the numeric page id as a string (the page's table) or a number (its examples)", () => {
    accepts({ ...textBody(), page_id: "12345" });
    accepts({ ...textBody(), page_id: 12345 });
    refuses({ ...textBody(), page_id: "my-page" }, "page_id", "must be the numeric Facebook page id");
    refuses({ ...textBody(), page_id: 12.5 }, "page_id", "must be the numeric Facebook page id");
  });
  it("refuses a body that is not an object", () => refuses(null, "body", "must be an object"));
  it("names every broken rule when there are several, the message listing each", () => {
    const err = refusal(body({ template_type: "text", text: x(641) }, { delay: 11, tag: "X" }));
    expect(err.problems.map((p) => p.field).sort()).toEqual(["delay", "message.text", "tag"]);
    expect(err.message).toContain("message.text: at most 640 characters");
    expect(err.message).toContain("delay: at most 10 seconds");
  });
  it("returns the parsed body unchanged when it passes", () => {
    const input = body({ template_type: "text", text: "Hello World" }, { tag: "ACCOUNT_UPDATE", delay: 1 });
    expect(parseSendBody(input)).toEqual({
      page_id: "12345",
      recipient: { uuid: "u-1" },
      message: { template_type: "text", text: "Hello World" },
      tag: "ACCOUNT_UPDATE",
      delay: 1,
    });
  });
});
