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
