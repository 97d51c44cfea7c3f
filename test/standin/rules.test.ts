import examples from "../fixtures/joinchat/page-examples.json";
import { checkBody } from "../../src/standin/rules";
import { parseSendBody } from "../../src/messages/validate";

/**
 * The stand-in's rules (written from the vendor's page, not from the app's schema) and the app's
 * own schema, both held against the page's own example bodies, copied verbatim from its code
 * blocks into test/fixtures/joinchat/page-examples.json. The page writes them as JavaScript
 * literals with trailing commas, which JSON does not allow: those commas are the only change.
 */
const asJson = (text: string) => text.replace(/,(\s*[}\]])/g, "$1");
const entries = Object.entries(examples as Record<string, string>);
/**
 * The generic and list examples carry Messenger's placeholder postback payloads, which JoinChat
 * does not act on (the page: it currently supports {"block_id":N} and {"flow_id":N}). The app
 * never sends a button that does nothing when tapped, so its schema reads them with a block id.
 */
const PLACEHOLDER_PAYLOADS = /"payload":"(DEVELOPER_DEFINED_PAYLOAD|payload)"/g;
const withBotPayloads = (text: string) => text.replace(PLACEHOLDER_PAYLOADS, '"payload":"{\\"block_id\\":1}"');

describe("the vendor page's example bodies", () => {
  it("are all here: the signature example, the parameter example and one per message kind", () => {
    expect(entries.map(([name]) => name).sort()).toEqual(["button", "generic", "list", "params-example", "php-signature-example", "receipt", "text"]);
  });

  it.each(entries)("the stand-in accepts the page's %s example", (_, text) => {
    expect(checkBody(asJson(text))).toEqual([]);
  });

  it.each(entries)("the app's schema accepts the page's %s example (page_id as a number)", (_, text) => {
    expect(() => parseSendBody(JSON.parse(asJson(withBotPayloads(text))))).not.toThrow();
  });

  it("the generic and list examples' placeholder payloads pass the stand-in (the page types a payload as a string); the app's own schema sends only bot payloads", () => {
    // The page: a payload is a string, and the formats JoinChat currently acts on are {"block_id":N}
    // and {"flow_id":N}. It does not say another is refused, and its own examples carry placeholders.
    expect(checkBody(asJson(examples.generic))).toEqual([]);
    expect(checkBody(asJson(examples.list))).toEqual([]);
    expect(() => parseSendBody(JSON.parse(asJson(examples.generic)))).toThrow(
      'message.elements[0].buttons[1].payload: must be {"block_id":N} or {"flow_id":N}, N a positive whole number',
    );
    expect(() => parseSendBody(JSON.parse(asJson(examples.list)))).toThrow('message.buttons[0].payload: must be {"block_id":N} or {"flow_id":N}');
    // The placeholders are the only change the app's schema reads the examples with.
    expect(withBotPayloads(examples.generic)).not.toBe(examples.generic);
    expect(withBotPayloads(examples.receipt)).toBe(examples.receipt);
  });

  it("the receipt example writes every amount as a number, and the app's schema and the stand-in refuse a string total_cost", () => {
    const receipt = asJson(examples.receipt);
    expect(receipt).toContain('"total_cost":56.14');
    const withString = receipt.replace('"total_cost":56.14', '"total_cost":"56.14"');
    expect(checkBody(withString)).toEqual([{ field: "message.summary.total_cost", rule: "must be a number" }]);
    expect(() => parseSendBody(JSON.parse(withString))).toThrow("message.summary.total_cost: must be a JSON number (e.g. 12.50), not a string");
  });
});

describe("stand-in rules", () => {
  const body = (message: object, extra: object = {}) => JSON.stringify({ page_id: "1", recipient: { uuid: "u" }, message, ...extra });
  const receipt = (over: object) => ({
    template_type: "receipt",
    recipient_name: "A",
    order_number: "#1",
    currency: "USD",
    payment_method: "Visa",
    summary: { total_cost: 1 },
    ...over,
  });

  it("refuses each amount written as a string, and an exponent or more than 3 decimals", () => {
    expect(checkBody(body(receipt({ elements: [{ title: "T", price: "5.00" }] })))).toEqual([{ field: "message.elements[0].price", rule: "must be a number" }]);
    expect(checkBody(body(receipt({ adjustments: [{ name: "D", amount: "1" }] })))).toEqual([{ field: "message.adjustments[0].amount", rule: "must be a number" }]);
    const raw = (token: string) =>
      `{"page_id":"1","recipient":{"uuid":"u"},"message":{"template_type":"receipt","recipient_name":"A","order_number":"1","currency":"USD","payment_method":"V","summary":{"total_cost":${token}}}}`;
    expect(checkBody(raw("1e3"))).toEqual([{ field: "message.summary.total_cost", rule: "must be a decimal number with a dot and at most 3 decimals" }]);
    expect(checkBody(raw("1.2345"))).toHaveLength(1);
    expect(checkBody(raw("21.00"))).toEqual([]);
  });

  it("refuses a half-empty address, an empty discount name and a URL with spaces", () => {
    const address = { street_1: "1 Queen's Rd", city: "Hong Kong", postal_code: "", state: "", country: "HK" };
    expect(checkBody(body(receipt({ address })))).toEqual([
      { field: "message.address.postal_code", rule: "must not be empty" },
      { field: "message.address.state", rule: "must not be empty" },
    ]);
    expect(checkBody(body(receipt({ adjustments: [{ name: "", amount: 1 }] })))).toEqual([{ field: "message.adjustments[0].name", rule: "must not be empty" }]);
    expect(checkBody(body({ template_type: "button", text: "t", buttons: [{ type: "web_url", url: "https://shop.example/a b", title: "Go" }] }))).toEqual([
      { field: "message.buttons[0].url", rule: "must be an absolute http(s) URL, percent-encoded" },
    ]);
  });

  it("counts text limits in characters and refuses a 21-character button title and a 641-character text", () => {
    expect(checkBody(body({ template_type: "text", text: "😀".repeat(640) }))).toEqual([]);
    expect(checkBody(body({ template_type: "text", text: "x".repeat(641) }))).toEqual([{ field: "message.text", rule: "at most 640 characters" }]);
    expect(checkBody(body({ template_type: "button", text: "t", buttons: [{ type: "postback", title: "x".repeat(21), payload: '{"block_id":1}' }] }))).toEqual([
      { field: "message.buttons[0].title", rule: "at most 20 characters" },
    ]);
  });

  it("takes a postback payload that starts a bot block or flow, and refuses an empty one", () => {
    const postback = (payload: string) => body({ template_type: "button", text: "t", buttons: [{ type: "postback", title: "Talk to us", payload }] });
    expect(checkBody(postback('{"block_id":12}'))).toEqual([]);
    expect(checkBody(postback('{"flow_id":7}'))).toEqual([]);
    expect(checkBody(postback(""))).toEqual([{ field: "message.buttons[0].payload", rule: expect.any(String) }]);
  });

  it("refuses two recipients, an unknown tag and a delay over 10", () => {
    expect(checkBody(JSON.stringify({ page_id: "1", recipient: { uuid: "u", id: "2" }, message: { template_type: "text", text: "t" }, tag: "PROMO", delay: 11 }))).toEqual([
      { field: "recipient", rule: "exactly one of id, phone, email, uuid" },
      { field: "tag", rule: "is not a message tag" },
      { field: "delay", rule: "at most 10" },
    ]);
  });
});
