import { searchFactsOf } from "../../src/events/search-facts";
import { fixture } from "../helpers/webhooks";
import { parseShopifyJson } from "../../src/shopify/json";

describe("what a message is found by", () => {
  it("an order: its name, the customer's and addresses' names and the emails, lowercased", () => {
    const facts = searchFactsOf("orders/create", parseShopifyJson(fixture("orders-create.json")) as Record<string, unknown>);
    expect(facts).toEqual({ orderName: "#1054", words: "alan alan@example.com" });
  });

  it("a fulfillment: its order's name, not its own", () => {
    expect(searchFactsOf("fulfillments/create", { name: "#1054.2", email: "Bea@Example.com", destination: { first_name: "Bea", last_name: "Li" } })).toEqual({
      orderName: "#1054",
      words: "bea li bea@example.com",
    });
  });

  it("a checkout or a new customer: names and email, no order", () => {
    expect(searchFactsOf("checkouts/create", parseShopifyJson(fixture("checkouts-create.json")) as Record<string, unknown>)).toEqual({
      orderName: null,
      words: "john smith bob biller steve shipper example@email.com",
    });
    expect(searchFactsOf("customers/create", { first_name: "Alan", email: "alan@example.com", name: "ignored" })).toEqual({ orderName: null, words: "alan alan@example.com" });
  });
});
