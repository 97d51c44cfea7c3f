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

/** The real app on a loopback port (a testConfig), logging nothing. */
export function startTestApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  return startApp(config, { log: createLogger("silent"), ...options });
}

/** The real app on a loopback port, talking to a real JoinChat stand-in on another. */
export async function startHarness(overrides: Record<string, string> = {}, options: StartOptions = {}): Promise<Harness> {
  const standIn = new JoinChatStandIn();
  const apiUrl = await standIn.listen();
  const app = await startTestApp(testConfig({ JOINCHAT_API_URL: apiUrl, ...overrides }), options);
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

/**
 * A fresh harness for each test of the enclosing describe: started before each test, `setup`
 * run on it (configureShop, say), closed after. The object returned is the current test's
 * harness (its fields are replaced before each test), so tests read `h.app`, `h.url` as usual.
 * `overrides` and `options` may be functions, for what must be new each test (a database, a TestClock).
 */
export function harnessPerTest(
  overrides: Record<string, string> | (() => Promise<Record<string, string>>) = {},
  options: StartOptions | (() => StartOptions) = {},
  setup: (h: Harness) => Promise<void> = async () => {},
): Harness {
  const current = {} as Harness;
  beforeEach(async () => {
    const env = typeof overrides === "function" ? await overrides() : overrides;
    Object.assign(current, await startHarness(env, typeof options === "function" ? options() : options));
    await setup(current);
  });
  afterEach(() => current.close());
  return current;
}
