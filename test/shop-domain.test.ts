import { isShopDomain, shopDomainSchema } from "../src/shop-domain";

describe("the shop-domain rule", () => {
  it.each(["demo-store.myshopify.com", "a.myshopify.com", "0shop-9.myshopify.com"])("takes %s", (domain) => {
    expect(isShopDomain(domain)).toBe(true);
  });

  it.each([
    ["a custom domain", "shop.example.com"],
    ["upper case (Shopify sends and signs lower case)", "Demo-Store.myshopify.com"],
    ["a leading hyphen", "-shop.myshopify.com"],
    ["a subdomain of a shop", "x.demo.myshopify.com"],
    ["a suffix after the domain", "demo.myshopify.com.evil.test"],
    ["a scheme", "https://demo.myshopify.com"],
    ["a port", "demo.myshopify.com:443"],
    ["nothing before the domain", ".myshopify.com"],
    ["the empty string", ""],
  ])("refuses %s", (_why, domain) => {
    expect(isShopDomain(domain)).toBe(false);
  });

  it("says in the edge's own words what is wrong, and when it is missing", () => {
    const schema = shopDomainSchema({ missing: "--shop is required", invalid: "--shop must be a *.myshopify.com domain" });
    expect(schema.parse("demo.myshopify.com")).toBe("demo.myshopify.com");
    expect(schema.safeParse("example.com").error?.issues[0]?.message).toBe("--shop must be a *.myshopify.com domain");
    expect(schema.safeParse(undefined).error?.issues[0]?.message).toBe("--shop is required");
  });
});
