import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { startHarness, type Harness } from "../helpers/app";
import { fixture, postWebhook } from "../helpers/webhooks";
import { nowSeconds, signedProxyQuery } from "../helpers/proxy";
import { API_VERSION } from "../../src/shopify/api";
import { DEFAULT_SCOPES } from "../../src/config/env";
import { KNOWN_TOPICS } from "../../src/events/topics";
import { DELIVERY_STATUSES } from "../../src/policy/automations";
import { fulfillmentEventSchema, fulfillmentSchema } from "../../src/automations/payloads";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";

interface Subscription {
  topics?: string[];
  compliance_topics?: string[];
  uri: string;
  filter?: string;
  include_fields?: string[];
}
interface AppToml {
  application_url: string;
  access_scopes: { scopes: string };
  webhooks: { api_version: string; subscriptions: Subscription[] };
  app_proxy: { url: string; prefix: string; subpath: string };
}
const toml = parse(fs.readFileSync(path.resolve(__dirname, "../../shopify.app.toml"), "utf8")) as unknown as AppToml;

/**
 * A subscription's (or the app proxy's) address as the Shopify CLI builds it (its
 * `prependApplicationUrl`): a `uri` starting with "/" is appended to application_url without its
 * trailing slash; any other is used as is.
 */
function cliSubscriptionUrl(uri: string, applicationUrl: string): string {
  return uri.startsWith("/") ? `${applicationUrl.replace(/\/$/, "")}${uri}` : uri;
}

/** The one subscription entry that declares `topic`. */
const entryOf = (topic: string): Subscription => toml.webhooks.subscriptions.find((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])].includes(topic))!;

/** A payload as Shopify sends it under the entry's include_fields: only those (top-level) fields, when it has them. */
function trimmed(body: string, topic: string): string {
  const fields = entryOf(topic).include_fields;
  if (!fields) return body;
  const all = JSON.parse(body) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(fields.filter((f) => f in all).map((f) => [f, all[f]])));
}

/**
 * The entry's filter, read as the search syntax it is written in, for the one form used here:
 * `field:value` terms joined by OR. Anything else in it fails the test (a form this reading does not know).
 */
function filterTerms(filter: string): { field: string; value: string }[] {
  return filter.split(/\s+OR\s+/).map((term) => {
    const m = /^([a-z_]+):([a-z_]+)$/.exec(term.trim());
    if (!m) throw new Error(`filter term not understood: ${term}`);
    return { field: m[1]!, value: m[2]! };
  });
}
const passes = (filter: string | undefined, payload: Record<string, unknown>) => !filter || filterTerms(filter).some((t) => String(payload[t.field]) === t.value);

/** A body of each topic as Shopify sends it: the recorded fixtures where there is one. */
function bodyOf(topic: string): string {
  const recorded: Record<string, string> = {
    "customers/create": "customers-create.json",
    "checkouts/create": "checkouts-create.json",
    "checkouts/update": "checkouts-create.json",
    "orders/create": "orders-create.json",
    "orders/paid": "orders-create.json",
    "orders/cancelled": "orders-create.json",
  };
  if (recorded[topic]) return fixture(recorded[topic]!);
  const made: Record<string, object> = {
    "fulfillments/create": { id: 4451, order_id: 5560, status: "success", tracking_number: "1Z999", tracking_url: "https://track.example/1Z999" },
    "fulfillments/update": { id: 4451, order_id: 5560, status: "success" },
    "fulfillment_events/create": { id: 8801, fulfillment_id: 4451, order_id: 5560, shop_id: 1, status: "out_for_delivery", happened_at: "2026-12-02T09:00:00Z" },
    "app/uninstalled": { id: 1, domain: "demo-store.myshopify.com" },
    "app/scopes_update": { id: 1, previous: ["read_orders"], current: ["read_orders", "read_customers"], updated_at: "2026-12-02T10:00:00Z" },
    "customers/data_request": {
      shop_id: 1,
      shop_domain: "demo-store.myshopify.com",
      customer: { id: 7, email: "a@example.com", phone: null },
      orders_requested: [],
      data_request: { id: 9 },
    },
    "customers/redact": { shop_id: 1, shop_domain: "demo-store.myshopify.com", customer: { id: 7, email: "a@example.com", phone: null }, orders_to_redact: [] },
    "shop/redact": { shop_id: 1, shop_domain: "demo-store.myshopify.com" },
  };
  return JSON.stringify(made[topic]);
}

describe("shopify.app.toml, read as the Shopify CLI reads it", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ SHOPIFY_APP_URL: toml.application_url }, { background: false });
  });
  afterAll(() => h.close());

  const subscriptions = toml.webhooks.subscriptions.flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => ({ topic, uri: s.uri })));

  it("declares webhook API version 2026-10, the version the app's client speaks", () => {
    expect(toml.webhooks.api_version).toBe("2026-10");
    expect(API_VERSION).toBe("2026-10");
  });

  it("declares every topic the app handles once, app/scopes_update and the compliance topics among them", () => {
    const topics = subscriptions.map((s) => s.topic);
    expect(new Set(topics).size).toBe(topics.length);
    expect([...topics].sort()).toEqual([...KNOWN_TOPICS].sort());
    expect(topics).toEqual(expect.arrayContaining(["app/scopes_update", "customers/data_request", "customers/redact", "shop/redact"]));
  });

  it("requests the scopes the app's default configuration names", () => {
    expect(toml.access_scopes.scopes).toBe(DEFAULT_SCOPES);
  });

  it("requests write_app_proxy, which Shopify requires of an app that configures an app proxy", () => {
    expect(toml.app_proxy).toBeDefined();
    expect(toml.access_scopes.scopes.split(",")).toContain("write_app_proxy");
  });

  it("declares the app proxy relative to application_url, on a prefix Shopify offers, and a signed proxied request at that address reaches the app", async () => {
    // Relative, as shopify.dev shows it: one address to change (application_url), not two.
    expect(toml.app_proxy.url).toMatch(/^\/[a-z0-9/_-]*$/);
    expect(["apps", "a", "community", "tools"]).toContain(toml.app_proxy.prefix);
    expect(toml.app_proxy.subpath).toMatch(/^[a-z0-9_-]+$/i);
    const base = new URL(cliSubscriptionUrl(toml.app_proxy.url, toml.application_url));
    expect(base.origin).toBe(new URL(toml.application_url).origin);
    // Shopify forwards https://<shop>/<prefix>/<subpath>/config to <proxy url>/config, signed.
    const query = signedProxyQuery({
      shop: "demo-store.myshopify.com",
      path_prefix: `/${toml.app_proxy.prefix}/${toml.app_proxy.subpath}`,
      logged_in_customer_id: "",
      timestamp: nowSeconds(),
    });
    const res = await fetch(`${h.url}${base.pathname}/config?${query}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty("sdkUrl");
  });

  it.each(KNOWN_TOPICS.map((t) => [t]))("delivers a signed %s webhook, at the address the CLI builds, to the app: 200 and stored", async (topic) => {
    const sub = subscriptions.find((s) => s.topic === topic)!;
    const url = new URL(cliSubscriptionUrl(sub.uri, toml.application_url));
    // The address must be the app's own origin, and the path the app serves: sent there, over loopback.
    expect(url.origin).toBe(new URL(toml.application_url).origin);
    const eventId = `evt-${topic}`;
    const res = await postWebhook(`${h.url}${url.pathname.replace(/\/webhooks$/, "")}`, trimmed(bodyOf(topic), topic), { topic, eventId });
    expect(url.pathname + url.search).toBe("/webhooks");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, duplicate: false });
    const stored = await h.app.ctx.db.webhookEvent.findFirstOrThrow({ where: { topic, eventKey: eventId } });
    expect(stored.state).toBe("received");
  });

  it("gives the app embed the proxy's prefix and subpath as settings, defaulting to the toml's, and passes them to the storefront script", () => {
    const embed = fs.readFileSync(path.resolve(__dirname, "../../extensions/joinchat-embed/blocks/app-embed.liquid"), "utf8");
    const schema = JSON.parse(/\{% schema %\}([\s\S]*?)\{% endschema %\}/.exec(embed)![1]!) as { settings: { id: string; default: string; options?: { value: string }[] }[] };
    const setting = (id: string) => schema.settings.find((x) => x.id === id)!;
    expect(setting("proxy_prefix").default).toBe(toml.app_proxy.prefix);
    expect(setting("proxy_prefix").options!.map((o) => o.value)).toEqual(["apps", "a", "community", "tools"]);
    expect(setting("proxy_subpath").default).toBe(toml.app_proxy.subpath);
    expect(embed).toMatch(/data-proxy-prefix="\{\{ proxy_prefix \| escape \}\}"/);
    expect(embed).toMatch(/data-proxy-subpath="\{\{ proxy_subpath \| escape \}\}"/);
    expect(embed).not.toMatch(/\/apps\//);
  });

  it("filters fulfillment_events/create, in an entry of its own, to exactly the carrier statuses the app sends an update for", () => {
    const entry = entryOf("fulfillment_events/create");
    expect(entry.topics).toEqual(["fulfillment_events/create"]);
    const terms = filterTerms(entry.filter!);
    expect(terms.every((t) => t.field === "status")).toBe(true);
    expect(terms.map((t) => t.value).sort()).toEqual([...DELIVERY_STATUSES].sort());
    expect(passes(entry.filter, { status: "in_transit" })).toBe(false);
    // No other subscription is filtered: every other event is one the app acts on or must see.
    expect(toml.webhooks.subscriptions.filter((s) => s.filter)).toEqual([entry]);
  });

  it("asks for a fulfillment's and a carrier scan's fields the app reads and no others; compliance topics and the rest come whole", () => {
    const fields = (topic: string) => [...(entryOf(topic).include_fields ?? [])].sort();
    expect(fields("fulfillment_events/create")).toEqual(Object.keys(fulfillmentEventSchema.shape).sort());
    expect(fields("fulfillments/create")).toEqual(Object.keys(fulfillmentSchema.shape).sort());
    expect(fields("fulfillments/update")).toEqual(Object.keys(fulfillmentSchema.shape).sort());
    const trimmedTopics = toml.webhooks.subscriptions.filter((s) => s.include_fields).flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])]);
    expect(trimmedTopics.sort()).toEqual(["fulfillment_events/create", "fulfillments/create", "fulfillments/update"]);
  });

  it("sends the shipping notice and the delivery update from payloads trimmed to include_fields, and Shopify's filter holds back a scan the app would only skip", async () => {
    const own = await startHarness({}, { background: false });
    try {
      await configureShop(own, { settings: { deliveryUpdates: { out_for_delivery: true, delivered: true, attempted_delivery: true } } });
      await own.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
      await postWebhook(own.url, fixture("orders-create.json"), { topic: "orders/create" });
      const order = JSON.parse(fixture("orders-create.json")) as { id: number };
      const shipment = {
        id: 4451,
        order_id: order.id,
        name: "#1054.1",
        status: "success",
        tracking_company: "UPS",
        tracking_number: "1Z999",
        tracking_url: "https://track.example/1Z999",
        destination: { address1: "1 Main St", phone: "+15550100" },
        line_items: [{ title: "Linen shirt" }],
      };
      const shipped = trimmed(JSON.stringify(shipment), "fulfillments/create");
      expect(JSON.parse(shipped)).not.toHaveProperty("destination");
      await postWebhook(own.url, shipped, { topic: "fulfillments/create" });
      const scanEntry = entryOf("fulfillment_events/create");
      const scan = (status: string, id: number) => ({
        id,
        fulfillment_id: 4451,
        order_id: order.id,
        status,
        happened_at: "2026-12-02T09:00:00Z",
        city: "Springfield",
        address1: "1 Main St",
        latitude: 1,
        longitude: 2,
      });
      for (const [status, id] of [
        ["in_transit", 1],
        ["out_for_delivery", 2],
        ["delivered", 3],
      ] as const) {
        // What Shopify would send: nothing for a status outside the filter.
        if (!passes(scanEntry.filter, scan(status, id))) continue;
        const body = trimmed(JSON.stringify(scan(status, id)), "fulfillment_events/create");
        expect(Object.keys(JSON.parse(body) as object).sort()).toEqual(["fulfillment_id", "happened_at", "id", "order_id", "status"]);
        await postWebhook(own.url, body, { topic: "fulfillment_events/create", eventId: `scan-${status}` });
      }
      await drain(own);
      const events = await own.app.ctx.db.webhookEvent.findMany({ where: { topic: "fulfillment_events/create" }, orderBy: { eventKey: "asc" } });
      expect(events.map((e) => [e.eventKey, e.state])).toEqual([
        ["scan-delivered", "processed"],
        ["scan-out_for_delivery", "processed"],
      ]);
      const sent = (await own.app.ctx.db.delivery.findMany({ where: { state: "sent" }, orderBy: { key: "asc" } })).map((d) => d.automation);
      expect(sent.sort()).toEqual(["delivery", "delivery", "receipt", "shipping"]);
    } finally {
      await own.close();
    }
  });

  it("serves the merchant admin at application_url, where Shopify admin opens the app, with App Bridge in <head>", async () => {
    const res = await fetch(`${h.url}${new URL(toml.application_url).pathname}?embedded=1&host=YWRtaW4&shop=demo-store.myshopify.com`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const head = html.slice(0, html.indexOf("</head>"));
    expect(head).toMatch(/<meta name="shopify-api-key" content="test-api-key" \/>\s*<script src="https:\/\/cdn\.shopify\.com\/shopifycloud\/app-bridge\.js"><\/script>/);
  });
});
