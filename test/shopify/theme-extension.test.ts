import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startHarness, type Harness } from "../helpers/app";
import { adminClient } from "../helpers/admin";
import { SHOP } from "../helpers/deliveries";
import { ROOT, themeCheck } from "../helpers/shopify-cli";
import { addAppBlockUrl, APP_BLOCK_HANDLE } from "../../src/automations/setup";

const EXTENSION = path.join(ROOT, "extensions/joinchat-embed");
const read = (file: string) => fs.readFileSync(path.join(EXTENSION, file), "utf8");

interface BlockSchema {
  name: string;
  target: string;
  enabled_on?: unknown;
  disabled_on?: unknown;
  templates?: unknown;
  settings: { type: string; id?: string; default?: unknown; options?: { value: string }[] }[];
}
const schemaOf = (liquid: string) => JSON.parse(/\{% schema %\}([\s\S]*?)\{% endschema %\}/.exec(liquid)![1]!) as BlockSchema;

describe("the theme app extension: the app embed and the Messenger plugin app block", () => {
  jest.setTimeout(120_000);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "joinchat-cli-home-"));
  const dirs: string[] = [home];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  /** A copy of the extension with `file`'s `old` replaced by `new`. */
  function brokenCopy(file: string, old: string, replacement: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "joinchat-ext-"));
    dirs.push(dir);
    fs.cpSync(EXTENSION, dir, { recursive: true });
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    expect(text).toContain(old);
    fs.writeFileSync(path.join(dir, file), text.replace(old, replacement));
    return dir;
  }

  it("has no theme-check offence of any severity under theme-check's theme app extension config", async () => {
    const run = await themeCheck(EXTENSION, home);
    expect(run.offences).toEqual([]);
    expect(run.code).toBe(0);
  });

  it.each([
    [
      "a translation key the locale file lacks",
      "blocks/messenger-plugin.liquid",
      "messenger_plugin.missing_id.coupon",
      "messenger_plugin.missing_id.cupon",
      "TranslationKeyExists",
    ],
    ["a script that blocks the parser", "blocks/app-embed.liquid", "  defer\n></script>", "></script>", "ParserBlockingScript"],
    [
      "the plugin's JoinChat script written by Liquid instead of the embed's script",
      "blocks/messenger-plugin.liquid",
      "  {{ block.shopify_attributes }}\n>",
      '  {{ block.shopify_attributes }}\n>\n  <script src="https://joinchat.ai/js/analytics/sdk/{{ plugin_id }}.js" defer></script>',
      "RemoteAsset",
    ],
  ])("reports %s: the check runs and can fail", async (_name, file, old, replacement, check) => {
    const run = await themeCheck(brokenCopy(file, old, replacement), home);
    expect(run.offences.map((o) => [o.path, o.check])).toEqual([[file, check]]);
  });

  it("offers the block in any section of any template (target section, no enabled_on or templates), named by the handle the deep link uses", () => {
    const block = schemaOf(read(`blocks/${APP_BLOCK_HANDLE}.liquid`));
    expect(block.target).toBe("section");
    expect(block).not.toHaveProperty("enabled_on");
    expect(block).not.toHaveProperty("disabled_on");
    expect(block).not.toHaveProperty("templates");
    const setting = (id: string) => block.settings.find((s) => s.id === id)!;
    expect(setting("plugin_type").options!.map((o) => o.value)).toEqual(["send_to_messenger", "coupon"]);
    expect(setting("plugin_id").type).toBe("text");
    // The cart page and the 24-hour window, said where the merchant places the block.
    expect(JSON.stringify(block.settings)).toMatch(/cart page.*24-hour window/);
    // The embed stays an app embed in <head>.
    expect(schemaOf(read("blocks/app-embed.liquid")).target).toBe("head");
  });

  it("writes the placeholder the embed's script mounts the plugin in, from the plugin id alone", () => {
    const liquid = read(`blocks/${APP_BLOCK_HANDLE}.liquid`);
    const script = read("assets/joinchat.js");
    expect(liquid).toContain('data-joinchat-plugin="{{ plugin_id | escape }}"');
    expect(script).toContain('querySelectorAll("[data-joinchat-plugin]")');
    // The id is cut out of whatever the merchant pasted (id, URL, the whole tag) and URL-encoded.
    expect(liquid).toMatch(/split: '\/sdk\/'\s*\|\s*last\s*\|\s*split: '\.js'\s*\|\s*first\s*\|\s*strip\s*\|\s*url_encode/);
    // Liquid loads nothing remote itself.
    expect(liquid).not.toMatch(/<script/);
  });

  it("links the setup checklist to Shopify's deep link that adds the block to the cart page", async () => {
    expect(addAppBlockUrl("demo.myshopify.com", "abc123")).toBe(
      "https://demo.myshopify.com/admin/themes/current/editor?template=cart&addAppBlockId=abc123/messenger-plugin&target=newAppsSection",
    );
    expect(addAppBlockUrl("demo.myshopify.com", "abc123", "product")).toContain("?template=product&");
    // Without a client id there is no block to name: the theme editor on the cart page.
    expect(addAppBlockUrl("demo.myshopify.com", undefined)).toBe("https://demo.myshopify.com/admin/themes/current/editor?template=cart");

    const h: Harness = await startHarness({}, { background: false });
    try {
      const r = await adminClient(h)("GET", "/admin/api/setup");
      expect(r.status).toBe(200);
      const items = r.body.items as { id: string; done: boolean | null; detail: string; action: { url: string } }[];
      const item = items.find((i) => i.id === "plugin-block")!;
      expect(item.action.url).toBe(`https://${SHOP}/admin/themes/current/editor?template=cart&addAppBlockId=test-api-key/messenger-plugin&target=newAppsSection`);
      expect(item.done).toBeNull();
      expect(item.detail).toMatch(/cart page.*24-hour window/);
      // Right after the embed it depends on.
      expect(items.map((i) => i.id).indexOf("plugin-block")).toBe(items.map((i) => i.id).indexOf("embed") + 1);
    } finally {
      await h.close();
    }
  });
});
