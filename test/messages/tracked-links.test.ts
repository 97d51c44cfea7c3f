import { trackedUrl, withTrackedLinks } from "../../src/messages/tracked-links";
import { clickToken, InvalidClickTokenError, readClickToken } from "../../src/messages/click-token";
import type { Message } from "../../src/messages/schema";

const carousel: Message = {
  template_type: "generic",
  elements: [
    {
      title: "Blue shirt",
      default_action: { type: "web_url", url: "https://shop.example/products/blue" },
      buttons: [
        { type: "web_url", url: "https://shop.example/checkouts/abc", title: "Finish order", fallback_url: "https://shop.example/fallback" },
        { type: "postback", title: "Talk to us", payload: '{"block_id":4}' },
      ],
    },
    { title: "Red shirt", subtitle: "M", buttons: [{ type: "web_url", url: "https://shop.example/checkouts/abc?item=2", title: "Finish order" }] },
  ],
};

describe("tracked links of a message", () => {
  it("numbers every URL button and default action in one order, and rewrites exactly those", () => {
    expect([0, 1, 2, 3].map((i) => trackedUrl(carousel, i))).toEqual([
      "https://shop.example/products/blue",
      "https://shop.example/checkouts/abc",
      "https://shop.example/checkouts/abc?item=2",
      null,
    ]);
    const tracked = withTrackedLinks(carousel, (i) => `https://app.example.com/c/t${i}`) as Extract<Message, { template_type: "generic" }>;
    expect(tracked.elements[0]!.default_action!.url).toBe("https://app.example.com/c/t0");
    expect(tracked.elements[0]!.buttons![0]).toEqual({
      type: "web_url",
      url: "https://app.example.com/c/t1",
      title: "Finish order",
      fallback_url: "https://shop.example/fallback",
    });
    expect(tracked.elements[0]!.buttons![1]).toEqual(carousel.elements[0]!.buttons![1]);
    expect(tracked.elements[1]!.buttons![0]!).toMatchObject({ url: "https://app.example.com/c/t2" });
    // The stored message is left as it was: the redirect reads its targets from it.
    expect(trackedUrl(carousel, 1)).toBe("https://shop.example/checkouts/abc");
  });

  it("leaves a receipt's order_url and a text alone", () => {
    const text: Message = { template_type: "text", text: "hi https://shop.example" };
    expect(withTrackedLinks(text, () => "x")).toEqual(text);
    expect(trackedUrl(text, 0)).toBeNull();
    const receipt = {
      template_type: "receipt",
      recipient_name: "Ann",
      order_number: "#1",
      currency: "USD",
      payment_method: "Visa",
      order_url: "https://shop.example/orders/1",
      summary: { total_cost: 1 },
    } as unknown as Message;
    expect(withTrackedLinks(receipt, () => "x")).toEqual(receipt);
  });
});

describe("click tokens", () => {
  it("reads back the message and link it was signed for, and refuses any change", () => {
    const token = clickToken("secret", "cmabc123", 2);
    expect(token).toMatch(/^cmabc123\.2\.[A-Za-z0-9_-]{22}$/);
    expect(readClickToken("secret", token)).toEqual({ deliveryId: "cmabc123", link: 2 });
    for (const forged of [token.replace(".2.", ".1."), token.replace("cmabc123", "cmabc124"), clickToken("other", "cmabc123", 2), `${token}x`, "", "../../etc"]) {
      expect(() => readClickToken("secret", forged)).toThrow(InvalidClickTokenError);
    }
  });
});
