import { ConfigError, loadConfig } from "../../src/config/env";

describe("configuration", () => {
  it("starts with no variables at all on the SQLite default and names what Shopify needs", () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe("file:./data/app.db");
    expect(config.provider).toBe("sqlite");
    expect(config.PORT).toBe(3000);
    expect(config.appUrl).toBe("http://localhost:3000");
    expect(config.ROLE).toBe("all");
    expect(config.TRUST_PROXY).toBe(0);
    expect(config.missingForShopify).toEqual(["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"]);
    expect(config.SHOPIFY_LEGACY_OAUTH).toBe(false);
    expect(config.WEBHOOK_PAYLOAD_RETENTION_DAYS).toBe(30);
    expect(config.SHOPIFY_SCOPES).toBe("read_customers,read_orders,read_fulfillments,write_discounts,write_store_credit_account_transactions,write_app_proxy");
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
    ["ENCRYPTION_KEY", "a passphrase that is long enough but not 32 bytes"],
    ["ENCRYPTION_KEY", "ab".repeat(31)],
    ["SHOPIFY_LEGACY_OAUTH", "yes"],
    ["WEBHOOK_PAYLOAD_RETENTION_DAYS", "0"],
    ["TRUST_PROXY", "all"],
    ["METRICS_PORT", "metrics"],
    ["METRICS_PORT", "70000"],
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

  it("never prints the key it refuses, and takes 64 hex digits or 32 bytes in base64", () => {
    const key = "not-a-valid-key-but-secret-material-0123456789";
    expect(() => loadConfig({ ENCRYPTION_KEY: key })).toThrow(/^ENCRYPTION_KEY must be 32 random bytes/);
    try {
      loadConfig({ ENCRYPTION_KEY: key });
    } catch (err) {
      expect((err as Error).message).not.toContain(key);
    }
    expect(loadConfig({ ENCRYPTION_KEY: "0f".repeat(32) }).ENCRYPTION_KEY).toBe("0f".repeat(32));
    expect(loadConfig({ ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") }).ENCRYPTION_KEY).toHaveLength(44);
  });

  it("METRICS_PORT: unset by default (a worker listens nowhere); any port for a worker; another than PORT for a process that serves HTTP", () => {
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
    expect(loadConfig({ ROLE: "worker", METRICS_PORT: "9101" }).METRICS_PORT).toBe(9101);
    expect(loadConfig({ ROLE: "worker", PORT: "9101", METRICS_PORT: "9101" }).METRICS_PORT).toBe(9101);
    expect(loadConfig({ ROLE: "web", METRICS_PORT: "0" }).METRICS_PORT).toBe(0);
    expect(() => loadConfig({ ROLE: "web", PORT: "8080", METRICS_PORT: "8080" })).toThrow(/^METRICS_PORT must differ from PORT/);
  });
});
