import { loadConfig, type Config } from "../../src/config/env";
import { createLogger } from "../../src/log";
import { startApp, type RunningApp, type StartOptions } from "../../src/server";
import { JoinChatStandIn } from "../../src/standin/server";
import { freshSqliteUrl } from "./db";

export const TEST_ENCRYPTION_KEY = "7e57e57e57e57e57e57e57e57e57e57e57e57e57e57e57e57e57e57e57e57e57";
export const TEST_SHOPIFY_SECRET = "shpss_test_secret";

/** Configuration for an app under test: port 0, a fresh SQLite file, fast retries. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: "0",
    DATABASE_URL: freshSqliteUrl(),
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    SHOPIFY_API_KEY: "test-api-key",
    SHOPIFY_API_SECRET: TEST_SHOPIFY_SECRET,
    SHOPIFY_APP_URL: "https://app.example.com",
    JOINCHAT_RETRY_BASE_MS: "20",
    EVENT_RETRY_BASE_MS: "20",
    // Long enough that a busy CI machine does not turn a slow answer into a timeout and a resend.
    JOINCHAT_TIMEOUT_MS: "10000",
    LOG_LEVEL: "silent",
    ...overrides,
  });
}

export interface Harness {
  app: RunningApp;
  standIn: JoinChatStandIn;
  url: string;
  close(): Promise<void>;
}

/** The real app on a loopback port, talking to a real JoinChat stand-in on another. */
export async function startHarness(overrides: Record<string, string> = {}, options: StartOptions = {}): Promise<Harness> {
  const standIn = new JoinChatStandIn();
  const apiUrl = await standIn.listen();
  const config = testConfig({ JOINCHAT_API_URL: apiUrl, ...overrides });
  const app = await startApp(config, { log: createLogger("silent"), ...options });
  return {
    app,
    standIn,
    url: app.url!,
    async close() {
      await app.stop();
      await standIn.close();
    },
  };
}
