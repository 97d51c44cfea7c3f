import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { startHarness, type Harness } from "../helpers/app";
import { ADMIN_DIST, ADMIN_SECTION_PATHS } from "../../src/http/admin-page";

/** A GET that sends exactly this Accept-Encoding and hands back the body as sent (fetch would decode it). */
function rawGet(url: string, acceptEncoding: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("the admin's page and assets as the server sends them", () => {
  let h: Harness;
  const assets = path.join(ADMIN_DIST, "assets");
  beforeAll(async () => {
    execFileSync(process.execPath, [path.resolve(__dirname, "../../scripts/build-admin.mjs")], { stdio: "pipe" });
    h = await startHarness({}, { background: false });
  }, 60_000);
  afterAll(() => h.close());

  it("sends each built asset compressed as the client accepts it, Brotli first, under its hashed name cached for good", async () => {
    const script = fs.readdirSync(assets).find((f) => /^main-[A-Z0-9]{8}\.js$/.test(f))!;
    const raw = fs.readFileSync(path.join(assets, script));
    for (const [accept, encoding, decode] of [
      ["gzip, deflate, br, zstd", "br", zlib.brotliDecompressSync],
      ["gzip, deflate", "gzip", zlib.gunzipSync],
      ["br;q=0, gzip", "gzip", zlib.gunzipSync],
      ["identity", undefined, (b: Buffer) => b],
    ] as const) {
      const r = await rawGet(`${h.url}/admin/assets/${script}`, accept);
      expect([accept, r.status, r.headers["content-encoding"], r.headers["cache-control"], r.headers.vary]).toEqual([
        accept,
        200,
        encoding,
        "public, max-age=31536000, immutable",
        "Accept-Encoding",
      ]);
      expect(r.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expect(decode(r.body).equals(raw)).toBe(true);
    }
    const css = fs.readdirSync(assets).find((f) => /^admin-[A-Z0-9]{8}\.css$/.test(f))!;
    const style = await rawGet(`${h.url}/admin/assets/${css}`, "gzip, br");
    expect([style.headers["content-type"], style.headers["content-encoding"]]).toEqual(["text/css; charset=utf-8", "br"]);
    // Compressed, the stylesheet (Polaris's, mostly) is a tenth of its size.
    expect(style.body.length * 8).toBeLessThan(fs.statSync(path.join(assets, css)).size);
  });

  it("serves no compressed copy by its own name, nothing outside the assets and no name it did not build", async () => {
    const script = fs.readdirSync(assets).find((f) => /^main-[A-Z0-9]{8}\.js$/.test(f))!;
    expect((await rawGet(`${h.url}/admin/assets/${script}`, "br")).status).toBe(200);
    for (const name of [`${script}.br`, `${script}.gz`, "..%2Findex.html", "%2E%2E/index.html", "main-ABCDEFGH.js", "app.js"]) {
      expect([name, (await rawGet(`${h.url}/admin/assets/${name}`, "br")).status]).toEqual([name, 404]);
    }
  });

  it("serves the page, compressed and never cached, at the app's root, the standalone address and each section of App Bridge's menu", async () => {
    for (const at of ["/", "/admin", ...ADMIN_SECTION_PATHS]) {
      const r = await rawGet(`${h.url}${at}?shop=demo.myshopify.com&host=abc&embedded=1`, "gzip");
      expect([at, r.status, r.headers["content-encoding"], r.headers["cache-control"]]).toEqual([at, 200, "gzip", "no-cache"]);
      const html = zlib.gunzipSync(r.body).toString();
      // App Bridge's plain script tag comes before the page's module, which finds `shopify` defined.
      expect(html.indexOf("cdn.shopify.com/shopifycloud/app-bridge.js")).toBeGreaterThan(0);
      expect(html.indexOf("cdn.shopify.com/shopifycloud/app-bridge.js")).toBeLessThan(html.indexOf('<script type="module"'));
    }
    const plain = await rawGet(`${h.url}/admin`, "identity");
    expect([plain.headers["content-encoding"], plain.body.toString()]).toEqual([undefined, expect.stringMatching(/^<!doctype html>/)]);
  });
});
