import { identityKeys, payloadKeys, traceColumn, tracesOf } from "../../src/events/customer-traces";
import { parseShopifyJson } from "../../src/shopify/json";

const KEY = "shpss_test_secret";

describe("customer traces (what customers/redact finds events by)", () => {
  const guestCheckout = {
    token: "t1",
    email: "Alan@Example.com ",
    customer: null,
    billing_address: { name: "Alan Q", phone: "+852 0000-0000" },
    shipping_address: { phone: "+85200000000" },
  };

  it("keeps hashes of every email and phone in the payload, never the values", () => {
    const column = traceColumn(tracesOf("checkouts/create", guestCheckout), KEY);
    expect(column).not.toMatch(/alan|example|852|0000/i);
    // One email, one phone (two spellings of it): two tokens, each between spaces.
    expect(column).toMatch(/^ e:[0-9a-f]{24} p:[0-9a-f]{24} $/);
  });

  it("recognises a guest by the email and phone the redact request names, whatever their spelling", () => {
    const customerKeys = identityKeys({ id: "8658316394796", email: "alan@example.com", phone: "+85200000000" }, KEY);
    const column = traceColumn(tracesOf("checkouts/create", guestCheckout), KEY);
    for (const k of customerKeys.filter((k) => !k.startsWith("c:"))) expect(column).toContain(` ${k} `);
    expect(payloadKeys(tracesOf("checkouts/create", guestCheckout), KEY).filter((k) => customerKeys.includes(k))).toHaveLength(2);
    // Another secret, other hashes: a list of emails cannot be looked up without the app's secret.
    expect(identityKeys({ id: null, email: "alan@example.com", phone: null }, "another-secret")[0]).not.toBe(customerKeys[1]);
  });

  it("names the order of an order, a fulfillment or a carrier's event of one, and the customer by id", () => {
    expect(traceColumn(tracesOf("fulfillments/create", { id: 1, order_id: 6198432301356 }), KEY)).toBe(" o:6198432301356 ");
    expect(traceColumn(tracesOf("fulfillment_events/create", { id: 9, fulfillment_id: 1, order_id: "9198432301356123456" }), KEY)).toBe(" o:9198432301356123456 ");
    expect(tracesOf("orders/create", { id: 5, customer: { id: 42 } })).toMatchObject({ orderId: "5", customerId: "42" });
    expect(payloadKeys(tracesOf("orders/create", { id: 5, customer: { id: 42 } }), KEY)).toEqual(["c:42"]);
  });

  it("walks a payload nested 100,000 deep without running out of stack, and still finds the email at the bottom", () => {
    const text = `{"id":1,"note_attributes":${"[".repeat(100_000)}{"email":"Deep@Example.com"}${"]".repeat(100_000)}}`;
    const traces = tracesOf("orders/create", parseShopifyJson(text) as Record<string, unknown>);
    expect([...traces.emails]).toEqual(["deep@example.com"]);
  });
});
