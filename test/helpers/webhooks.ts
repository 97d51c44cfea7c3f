import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parse, stringify } from "lossless-json";
import { TEST_SHOPIFY_SECRET } from "./app";

export const FIXTURES = path.resolve(__dirname, "../fixtures/shopify");

/** A real payload from test/fixtures/shopify (see its README), as text (ids beyond 2^53 intact). */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), "utf8");
}

export interface WebhookOptions {
  topic: string;
  shop?: string;
  eventId?: string | null;
  webhookId?: string;
  secret?: string;
  hmac?: string | null;
  /** X-Shopify-Triggered-At; now by default. */
  triggeredAt?: string;
}

/** Posts a webhook the way Shopify does: raw body, base64 HMAC-SHA256 of it with the app secret. */
export async function postWebhook(baseUrl: string, body: string | Buffer, o: WebhookOptions): Promise<Response> {
  const raw = typeof body === "string" ? Buffer.from(body) : body;
  const hmac =
    o.hmac === undefined
      ? crypto
          .createHmac("sha256", o.secret ?? TEST_SHOPIFY_SECRET)
          .update(raw)
          .digest("base64")
      : o.hmac;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": o.topic,
    "x-shopify-shop-domain": o.shop ?? "demo-store.myshopify.com",
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": o.webhookId ?? crypto.randomUUID(),
    "x-shopify-triggered-at": o.triggeredAt ?? new Date().toISOString(),
  };
  if (o.eventId !== null) headers["x-shopify-event-id"] = o.eventId ?? crypto.randomUUID();
  if (hmac !== null) headers["x-shopify-hmac-sha256"] = hmac;
  return fetch(`${baseUrl}/webhooks`, { method: "POST", headers, body: raw });
}

/**
 * A fixture changed by `edit`, numbers kept exactly as written (ids beyond 2^53 stay intact:
 * plain JSON.parse would round them and the test would be about another customer).
 */
export function editFixture(name: string, edit: (payload: any) => void): string {
  const payload = parse(fixture(name));
  edit(payload);
  return stringify(payload)!;
}
