import { serializeSendBody, wireBody } from "../../src/messages/wire";
import { MessageLimitError } from "../../src/messages/validate";
import type { ReceiptMessage, SendBody } from "../../src/messages/schema";

const receipt = (over: Partial<ReceiptMessage> = {}): ReceiptMessage => ({
  template_type: "receipt",
  recipient_name: "Alan",
  order_number: "#1054",
  currency: "HKD",
  payment_method: "Manual payment",
  summary: { subtotal: "399.00", shipping_cost: "20.00", total_tax: "0.00", total_cost: "394.00" },
  adjustments: [{ name: "WELCOME", amount: "25.00" }],
  elements: [{ title: "Snowboard", quantity: 2, price: "199.98", currency: "HKD" }],
  ...over,
});
const body = (message: ReceiptMessage): SendBody => ({ page_id: "12345", recipient: { uuid: "u-1" }, message, tag: "PAYMENT_UPDATE" });

describe("the bytes JoinChat gets", () => {
  it("writes every receipt amount as a JSON number token, exactly as the decimal the app kept", () => {
    const text = serializeSendBody(body(receipt()));
    expect(text).toContain('"summary":{"subtotal":399.00,"shipping_cost":20.00,"total_tax":0.00,"total_cost":394.00}');
    expect(text).toContain('"adjustments":[{"name":"WELCOME","amount":25.00}]');
    expect(text).toContain('"price":199.98');
    expect(text).not.toMatch(/"(subtotal|shipping_cost|total_tax|total_cost|amount|price)":"/);
    const parsed = JSON.parse(text);
    expect(parsed.message.summary.total_cost).toBe(394);
    expect(parsed.message.elements[0]).toEqual({ title: "Snowboard", quantity: 2, price: 199.98, currency: "HKD" });
  });

  it("never rounds through a float: an amount past 2^53 goes out digit for digit", () => {
    const text = serializeSendBody(body(receipt({ summary: { total_cost: "99999999999999999.99" } })));
    expect(text).toContain('"total_cost":99999999999999999.99');
  });

  it("keeps zero-decimal and three-decimal currencies as they are: JPY 1235, KWD 12.345", () => {
    expect(serializeSendBody(body(receipt({ currency: "JPY", summary: { total_cost: "1235" } })))).toContain('"total_cost":1235}');
    expect(serializeSendBody(body(receipt({ currency: "KWD", summary: { total_cost: "12.345" } })))).toContain('"total_cost":12.345}');
  });

  it.each(["1e3", "12,50", ".5", "12.", "012", "", "NaN"])("refuses %j as an amount, naming the field, before anything is signed", (amount) => {
    expect(() => serializeSendBody(body(receipt({ elements: [{ title: "T", price: amount }] })))).toThrow(MessageLimitError);
    try {
      serializeSendBody(body(receipt({ elements: [{ title: "T", price: amount }] })));
    } catch (err) {
      expect((err as MessageLimitError).field).toBe("message.elements[0].price");
    }
  });

  it("checks the bytes as JoinChat reads them and returns them unchanged", () => {
    const { text, value } = wireBody(body(receipt()));
    expect(text).toBe(serializeSendBody(body(receipt())));
    expect(value.message).toMatchObject({ template_type: "receipt", summary: { total_cost: 394 } });
  });

  it("leaves other kinds as plain JSON", () => {
    const text = serializeSendBody({ page_id: "1", recipient: { uuid: "u" }, message: { template_type: "text", text: 'say "hi"' } });
    expect(text).toBe('{"page_id":"1","recipient":{"uuid":"u"},"message":{"template_type":"text","text":"say \\"hi\\""}}');
  });
});

describe("lone surrogates", () => {
  // A surrogate's escape: `\ud800` after an even number of backslashes (an odd one escapes the text's own backslash).
  const LONE = /(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/i;
  /** What a strict decoder does: UTF-8 that must round-trip, JSON without a lone surrogate's escape. */
  const strictlyDecoded = (text: string) => {
    const bytes = Buffer.from(text, "utf8");
    const decoded = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (LONE.test(decoded)) throw new Error("a lone surrogate's escape");
    return JSON.parse(decoded) as { message: { text?: string; recipient_name?: string; elements?: { title: string }[] } };
  };

  it.each([
    ["a high surrogate alone", "Alan\ud800", "Alan\ufffd"],
    ["a low surrogate alone", "\udc00Alan", "\ufffdAlan"],
    ["half an emoji cut by whatever wrote the name", "Al😀".slice(0, 3) + "an", "Al\ufffdan"],
  ])("reach JoinChat as U+FFFD, never as an escape strict decoders refuse: %s", (_name, name, sent) => {
    const text = serializeSendBody({ page_id: "1", recipient: { uuid: "u" }, message: { template_type: "text", text: `Hi ${name}` } });
    expect(text).not.toMatch(LONE);
    expect(Buffer.from(text, "utf8").toString("utf8")).toBe(text);
    expect(strictlyDecoded(text).message.text).toBe(`Hi ${sent}`);
    expect(wireBody({ page_id: "1", recipient: { uuid: "u" }, message: { template_type: "text", text: `Hi ${name}` } }).text).toBe(text);
  });

  it("are replaced in a receipt's names too, its amounts still number tokens", () => {
    const text = serializeSendBody(body(receipt({ recipient_name: "Alan\ud83d", elements: [{ title: "Snow\udfc2board", quantity: 1, price: "199.98", currency: "HKD" }] })));
    const parsed = strictlyDecoded(text);
    expect([parsed.message.recipient_name, parsed.message.elements![0]!.title]).toEqual(["Alan\ufffd", "Snow\ufffdboard"]);
    expect(text).toContain('"price":199.98');
  });

  it("leaves whole emoji and a backslash the text had as they were", () => {
    const message = { template_type: "text" as const, text: "Merci 😀 C:\\ud800 \\\\ud" };
    const text = serializeSendBody({ page_id: "1", recipient: { uuid: "u" }, message });
    expect(text).toBe(JSON.stringify({ page_id: "1", recipient: { uuid: "u" }, message }));
    expect(strictlyDecoded(text).message.text).toBe(message.text);
  });
});
