import { ConfigError, loadConfig } from "../../src/config/env";

describe("configuration", () => {
  it("starts with no variables at all on the SQLite default and names what Shopify needs", () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe("file:./data/app.db");
    expect(config.provider).toBe("sqlite");
    expect(config.PORT).toBe(3000);
    expect(config.appUrl).toBe("http://localhost:3000");
    expect(config.ROLE).toBe("all");
    expect(config.TRUST_PROXY).toBe(1);
    expect(config.missingForShopify).toEqual(["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"]);
  });

  it("selects PostgreSQL from the URL alone", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/app" }).provider).toBe("postgresql");
  });

  it.each([
    ["PORT", "http"],
    ["DATABASE_URL", "mysql://x"],
    ["ROLE", "cron"],
    ["JOINCHAT_API_URL", "not a url"],
    ["JOINCHAT_RETRY_BASE_MS", "-5"],
    ["ENCRYPTION_KEY", "short"],
    ["TRUST_PROXY", "all"],
  ])("stops on a bad %s with one line naming it", (name, value) => {
    let err: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message.startsWith(`${name} `)).toBe(true);
    expect((err as Error).message).not.toContain("\n");
  });
});
