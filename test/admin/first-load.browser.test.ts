import fs from "node:fs";
import path from "node:path";
import type { Request } from "playwright-core";
import { adminInBrowser, ARTIFACTS, browserDescribe } from "../helpers/browser";
import { SHOP } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";
import { signSessionToken } from "../../src/shopify/session-token";

/** What the admin may cost a merchant on first opening it: HTML, scripts and styles, compressed, headers included. */
const FIRST_LOAD_BUDGET = 250_000;

interface Loaded {
  url: string;
  type: string;
  encoding: string | null;
  cacheControl: string | null;
  /** Bytes on the wire: headers and the body as sent (compressed when it was). */
  transferred: number;
  /** The body's bytes once decoded. */
  decoded: number;
}

/**
 * The admin's first load as Chromium fetches it from the real server over loopback, until
 * Settings can be used: every document, script and stylesheet the page asked for, summed as
 * transferred (Chromium's own Accept-Encoding) and decoded. The figures are written to
 * test/artifacts/first-load.json.
 */
browserDescribe("first load")("the admin's first load", () => {
  jest.setTimeout(60_000);
  const { h, newPage } = adminInBrowser({ background: false }, configureShop);

  it("fetches under 250 KB compressed before Settings can be used, with hashed assets cached for good and the page never", async () => {
    const page = await newPage();
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    const pending: Promise<Loaded | null>[] = [];
    const measure = async (request: Request): Promise<Loaded | null> => {
      const type = request.resourceType();
      if (!["document", "script", "stylesheet", "font"].includes(type)) return null;
      const response = (await request.response())!;
      const sizes = await request.sizes();
      return {
        url: new URL(request.url()).pathname,
        type,
        encoding: await response.headerValue("content-encoding"),
        cacheControl: await response.headerValue("cache-control"),
        transferred: sizes.responseHeadersSize + sizes.responseBodySize,
        decoded: (await response.body()).length,
      };
    };
    page.on("requestfinished", (request) => pending.push(measure(request)));
    await page.goto(`${h.url}/admin?token=${signSessionToken(h.app.ctx.config, SHOP, 3600)}`);
    await page.getByText("Stored: ••••cret").waitFor({ timeout: 15_000 });
    await page.waitForLoadState("networkidle");
    const loaded = (await Promise.all(pending)).filter((l): l is Loaded => l !== null);

    const transferred = loaded.reduce((sum, l) => sum + l.transferred, 0);
    const decoded = loaded.reduce((sum, l) => sum + l.decoded, 0);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, "first-load.json"), JSON.stringify({ transferred, decoded, loaded }, null, 2));

    expect(loaded.map((l) => l.type)).toEqual(expect.arrayContaining(["document", "script", "stylesheet"]));
    // Every script and stylesheet came compressed, under a content-hashed name cached for a year.
    for (const asset of loaded.filter((l) => l.type !== "document")) {
      expect([asset.url, asset.encoding]).toEqual([asset.url, expect.stringMatching(/^(br|gzip)$/)]);
      expect([asset.url, asset.cacheControl]).toEqual([asset.url, "public, max-age=31536000, immutable"]);
      expect(asset.url).toMatch(/-[A-Z0-9]{8}\.(js|css)$/);
    }
    // The page names the assets of the current build: it is asked again each time.
    expect(loaded.find((l) => l.type === "document")!.cacheControl).toBe("no-cache");
    expect(transferred).toBeLessThan(FIRST_LOAD_BUDGET);
    // Compression did the work it is there for: a bundle this size shrinks at least threefold.
    expect(decoded).toBeGreaterThan(3 * transferred);
    await page.close();
  });
});
