import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { appCopy, ROOT, shopify } from "../helpers/shopify-cli";

/**
 * shopify.app.toml and the extension's shopify.extension.toml through Shopify CLI 4's own loader:
 * `shopify app build` loads the app's configuration with the CLI's schemas (app home, access
 * scopes, auth, webhooks and their subscriptions, compliance topics, app proxy, POS), then each
 * extension's toml with its own, runs theme-check on the theme app extension and bundles it. It
 * needs no login (`shopify app config validate` and `deploy` do: they fetch the app's remote
 * specifications first), so it runs here offline. What the CLI leaves to Shopify's servers at
 * deploy (that api_version is a released version, each topic and scope exists, the proxy prefix is
 * one of Shopify's four) test/shopify/app-toml.test.ts checks against the app's own code.
 */
describe("Shopify CLI 4 loads the app's configuration offline", () => {
  jest.setTimeout(120_000);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "joinchat-cli-home-"));
  const dirs: string[] = [home];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  const build = (dir: string) => (dirs.push(dir), shopify(["app", "build", "--path", dir, "--skip-dependencies-installation"], home));

  it("is the 4.x the project pins, on a Node it supports", async () => {
    const pinned = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies["@shopify/cli"];
    expect(pinned).toMatch(/^4\.\d+\.\d+$/);
    const run = await shopify(["version"], home);
    expect(run.code).toBe(0);
    expect(run.output.trim()).toBe(pinned);
  });

  it("finds shopify.app.toml and the theme app extension valid and builds the app", async () => {
    const run = await build(appCopy());
    expect(run.output).not.toMatch(/Validation error/i);
    expect(run.code).toBe(0);
    // The extension was loaded with its spec and went through theme-check and the bundle.
    expect(run.output).toContain("Running theme check on your Theme app extension");
    expect(run.output).toContain("Bundling theme extension");
    expect(run.output).toMatch(/JoinChat Messenger built!/);
  });

  // Each a mistake the CLI's schema refuses, and its message for it: the build fails.
  it.each([
    [
      "a relative app proxy url without its leading slash",
      { file: "shopify.app.toml", old: 'url = "/proxy"', new: 'url = "proxy"' },
      "[app_proxy.url]: URL must be HTTPS URL or start with /",
    ],
    [
      "a webhook uri without its leading slash",
      { file: "shopify.app.toml", old: 'uri = "/webhooks"', new: 'uri = "webhooks"' },
      "[webhooks.subscriptions.0.uri]: URI format isn't correct",
    ],
    [
      "a compliance topic Shopify does not have",
      { file: "shopify.app.toml", old: '"customers/data_request",', new: '"customers/data_requests",' },
      "Expected 'customers/redact' | 'customers/data_request' | 'shop/redact'",
    ],
    [
      "an application_url that is not a URL",
      { file: "shopify.app.toml", old: 'application_url = "https://app.example.com"', new: 'application_url = "app.example.com"' },
      "[application_url]: Invalid URL",
    ],
    ["embedded written as a string", { file: "shopify.app.toml", old: "embedded = true", new: 'embedded = "yes"' }, "[embedded]: Value must be Boolean"],
    [
      "a redirect url that is not absolute",
      { file: "shopify.app.toml", old: '"https://app.example.com/auth/callback"', new: '"/auth/callback"' },
      "[auth.redirect_urls.0]: Invalid URL",
    ],
    [
      "an extension name that is not a string",
      { file: "extensions/joinchat-embed/shopify.extension.toml", old: 'name = "JoinChat Messenger"', new: "name = 5" },
      "[name]: Expected string, received number",
    ],
  ])("refuses %s", async (_name, edit, message) => {
    const run = await build(appCopy(edit));
    expect(run.code).not.toBe(0);
    // The box the CLI draws wraps long lines: compare its words, not its layout.
    const words = run.output.replace(/[│╭╮╰╯─]/g, " ").replace(/\s+/g, " ");
    expect(words).toContain(message);
    expect(words).not.toContain("built!");
  });
});
