import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { StartOptions } from "../../src/server";
import { startHarness, type Harness } from "./app";
import { SHOP } from "./deliveries";
import { signSessionToken } from "../../src/shopify/session-token";

/** Debian's Chromium, which the browser tests drive through playwright-core. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * `describe` when Chromium is installed or CI=true (where a missing one must fail the run),
 * else `describe.skip` with a visible notice naming the suite.
 */
export function browserDescribe(suite: string): jest.Describe {
  const hasChromium = fs.existsSync(CHROMIUM);
  const mustRun = process.env.CI === "true";
  if (!hasChromium && !mustRun) {
    console.warn(`[notice] ${suite} browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium); under CI=true it runs and fails without it.`);
  }
  return hasChromium || mustRun ? describe : describe.skip;
}

/** Flags for a headless Chromium that talks to nothing but the test's servers. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Text a merchant must never see: template keys, webhook topic names, a validator's own words. */
export const RAW_WORDING = [
  /\b(welcome|abandoned|shipping)\.(text|button|item_subtitle)\b/,
  /\b(orders|customers|checkouts|fulfillments)\/(create|update|paid)\b/,
  /Invalid input|expected (string|number|boolean)|Too (small|big)|\bundefined\b|\bnull\b/,
];

/** Debian's Chromium, headless, in a fresh profile that close() removes with the browser. */
export async function launchChromium(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "joinchat-chromium-"));
  // launchPersistentContext passes --user-data-dir (fresh, above) itself; Playwright refuses it in args.
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, ...(viewport ? { viewport } : {}) });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Where browser suites leave their screenshots (test/artifacts, ignored by git). */
export const ARTIFACTS = path.resolve(__dirname, "../artifacts");

/**
 * For a suite that drives the merchant admin: the admin page built from the current source, the
 * app (a harness, `setup` run on it) and a headless Chromium at 1280×900, started once before the
 * suite and closed after it. `h` is filled in before the first test; `newPage()` opens a tab.
 */
export function adminInBrowser(options: StartOptions, setup: (h: Harness) => Promise<void>): { h: Harness; newPage(): Promise<Page>; openAdmin(hash: string): Promise<Page> } {
  const h = {} as Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM)).toBe(true);
    execFileSync(process.execPath, [path.resolve(__dirname, "../../scripts/build-admin.mjs")], { stdio: "pipe" });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    Object.assign(h, await startHarness({}, options));
    await setup(h);
    browser = await launchChromium({ width: 1280, height: 900 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h.close?.();
  });
  const newPage = () => browser!.context.newPage();
  /** A tab on the admin's `#hash` page, signed in as the test shop (as `admin:login` hands it out), nothing loaded from outside. */
  async function openAdmin(hash: string): Promise<Page> {
    const page = await newPage();
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await page.goto(`${h.url}/admin?token=${signSessionToken(h.app.ctx.config, SHOP, 3600)}#${hash}`);
    await page.getByText(SHOP).first().waitFor({ timeout: 10_000 });
    return page;
  }
  return { h, newPage, openAdmin };
}

/** Fails on any wording a merchant should never see (RAW_WORDING) in the page's text. */
export async function expectPlainWords(page: Page): Promise<void> {
  const text = await page.evaluate<string>("document.body.innerText");
  for (const raw of RAW_WORDING) expect([raw.source, text.match(raw)?.[0]]).toEqual([raw.source, undefined]);
}
