import { fixture } from "../helpers/webhooks";
import { RETRY_HORIZON_MS, shopNamedInBody, staleReason } from "../../src/events/webhook-shop";

const body = (v: unknown) => Buffer.from(JSON.stringify(v));

describe("the shop a webhook body names", () => {
  it("reads shop_domain of the compliance topics and myshopify_domain of app/uninstalled", () => {
    for (const topic of ["customers/data_request", "customers/redact", "shop/redact"]) {
      expect(shopNamedInBody(topic, body({ shop_id: 1, shop_domain: "Other.myshopify.com" }))).toBe("other.myshopify.com");
      expect(shopNamedInBody(topic, body({ shop_id: 1 }))).toBeNull();
    }
    expect(shopNamedInBody("app/uninstalled", body({ id: 1, domain: "shop.example.com", myshopify_domain: "demo-store.myshopify.com" }))).toBe("demo-store.myshopify.com");
  });

  it("reads an order's shop from the host of its order_status_url, spacing or not, and only a myshopify.com host", () => {
    expect(shopNamedInBody("orders/create", Buffer.from(fixture("orders-create.json")))).toBe("demo-store.myshopify.com");
    expect(shopNamedInBody("orders/paid", body({ id: 1, order_status_url: "https://Evil-Store.myshopify.com/1/orders/abc/authenticate?key=k" }))).toBe("evil-store.myshopify.com");
    expect(shopNamedInBody("orders/create", body({ id: 1, order_status_url: "https://shop.example.com/1/orders/abc" }))).toBeNull();
    expect(shopNamedInBody("orders/create", body({ id: 1, order_status_url: null }))).toBeNull();
    expect(shopNamedInBody("orders/create", body({ id: 1 }))).toBeNull();
  });

  it("is not fooled by the key's name typed into a string field (its quotes are escaped there)", () => {
    const typed = body({ note: '"order_status_url": "https://evil.myshopify.com/x"', order_status_url: "https://demo-store.myshopify.com/1/orders/a" });
    expect(shopNamedInBody("orders/create", typed)).toBe("demo-store.myshopify.com");
  });

  it("names no shop for the other topics, whatever their body holds", () => {
    expect(shopNamedInBody("checkouts/create", body({ order_status_url: "https://evil.myshopify.com/" }))).toBeNull();
    expect(shopNamedInBody("customers/create", body({ shop_domain: "evil.myshopify.com" }))).toBeNull();
  });
});

describe("webhooks older than Shopify's retry horizon", () => {
  const now = new Date("2026-12-02T12:00:00Z");
  const clock = { now: () => now, claimTime: () => now };
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it("ignores shop/redact and app/uninstalled triggered more than 5 hours ago, with the reason", () => {
    expect(RETRY_HORIZON_MS).toBe(5 * 3600 * 1000);
    expect(staleReason("shop/redact", ago(5 * 3600_000 + 1000), clock)).toMatch(/longer ago than Shopify retries a webhook \(5 h\): a replay, ignored/);
    expect(staleReason("app/uninstalled", ago(3 * 24 * 3600_000), clock)).not.toBeNull();
  });

  it("works those within the horizon, other topics at any age, and a missing or unreadable timestamp", () => {
    expect(staleReason("shop/redact", ago(4 * 3600_000), clock)).toBeNull();
    expect(staleReason("customers/redact", ago(3 * 24 * 3600_000), clock)).toBeNull();
    expect(staleReason("orders/create", ago(3 * 24 * 3600_000), clock)).toBeNull();
    expect(staleReason("shop/redact", undefined, clock)).toBeNull();
    expect(staleReason("shop/redact", "yesterday", clock)).toBeNull();
  });
});
