import crypto from "node:crypto";
import { shopifyApi, ApiVersion } from "@shopify/shopify-api";
// The library's Node runtime (fetch, crypto, request conversion). Loaded by require: 13.x ships this
// subpath's TypeScript sources beside its "exports", and an import would have tsc check them.
require("@shopify/shopify-api/adapters/node");
import { InvalidSignatureError, verifyWebhookHmac } from "../../src/shopify/webhook-hmac";
import { fixture } from "../helpers/webhooks";

const SECRET = "shpss_oracle_secret";
const library = shopifyApi({
  apiKey: "key",
  apiSecretKey: SECRET,
  scopes: [],
  hostName: "app.example.com",
  apiVersion: ApiVersion.October26,
  isEmbeddedApp: true,
  logger: { log: async () => {} },
});

/** What @shopify/shopify-api's own webhooks.validate says of the same request. */
async function libraryVerdict(body: string, hmac: string): Promise<boolean> {
  const headers = {
    "x-shopify-hmac-sha256": hmac,
    "x-shopify-topic": "orders/create",
    "x-shopify-api-version": "2026-10",
    "x-shopify-shop-domain": "demo-store.myshopify.com",
    "x-shopify-webhook-id": "wh-1",
  };
  const rawRequest = { method: "POST", url: "/webhooks", headers } as never;
  const result = await library.webhooks.validate({ rawBody: body, rawRequest, rawResponse: {} as never });
  return result.valid;
}

function ours(body: string, hmac: string | undefined): boolean {
  try {
    verifyWebhookHmac(Buffer.from(body), hmac, SECRET);
    return true;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSignatureError);
    return false;
  }
}

describe("webhook HMAC check", () => {
  const body = fixture("orders-create.json");
  const good = crypto.createHmac("sha256", SECRET).update(body).digest("base64");
  const cases: [string, string, string][] = [
    ["genuine", body, good],
    ["other secret", body, crypto.createHmac("sha256", "other").update(body).digest("base64")],
    ["body changed", body.replace("#1054", "#1055"), good],
    ["truncated signature", body, good.slice(0, 20)],
    ["hex instead of base64", body, crypto.createHmac("sha256", SECRET).update(body).digest("hex")],
    ["garbage", body, "not-a-signature"],
  ];

  it.each(cases)("agrees with @shopify/shopify-api's webhooks.validate: %s", async (_name, b, hmac) => {
    expect(ours(b, hmac)).toBe(await libraryVerdict(b, hmac));
  });

  it("accepts the genuine one and refuses a missing header with a message that says what to check", () => {
    expect(ours(body, good)).toBe(true);
    expect(() => verifyWebhookHmac(Buffer.from(body), undefined, SECRET)).toThrow(/header is missing/);
    expect(() => verifyWebhookHmac(Buffer.from(body), "AAAA", SECRET)).toThrow(/SHOPIFY_API_SECRET/);
  });
});
