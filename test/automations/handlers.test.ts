import fs from "node:fs";
import path from "node:path";
import { testConfig } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { JOINCHAT_SECRET, PAGE, SHOP } from "../helpers/deliveries";
import { createContext } from "../../src/create-context";
import { openDatabase } from "../../src/store/db";
import { createLogger } from "../../src/log";
import { TOPIC_HANDLERS } from "../../src/events/handlers";
import type { KnownTopic } from "../../src/events/topics";
import type { AppContext } from "../../src/context";
import type { EventOutcome } from "../../src/automations/contract";
import { parseShopifyJson } from "../../src/shopify/json";
import { AUTOMATIONS } from "../../src/policy/automations";
import type { ShopSettingsChange } from "../../src/store/shops";

/**
 * Handlers as units: an event's context in, its outcome out. No HTTP, no processor, no worker:
 * a real SQLite file behind the context (handlers read links and earlier messages), a real
 * fixture as the payload, and the outcome the processor would write, asserted as it comes back.
 */
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "../fixtures/shopify", name), "utf8");

describe("handlers: event context in, outcome out", () => {
  let ctx: AppContext;
  let clock: TestClock;
  const log = createLogger("silent");

  beforeEach(async () => {
    const config = testConfig();
    clock = new TestClock();
    ctx = createContext(config, await openDatabase(config.DATABASE_URL, log), log, clock);
  });
  afterEach(async () => ctx.database.close());

  async function handle(topic: KnownTopic, body: string, shopChange: ShopSettingsChange = {}): Promise<EventOutcome> {
    await ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET, couponCode: "WELCOME10", ...shopChange });
    const event = { id: "e1", shopDomain: SHOP, topic, eventKey: "k1", webhookId: null, triggeredAt: null, customerId: null, payload: body, attempts: 1, receivedAt: clock.now() };
    return TOPIC_HANDLERS[topic].handle({ ctx, event, payload: parseShopifyJson(body) as Record<string, unknown>, shop: await ctx.shops.find(SHOP), log });
  }

  const withUuid = (name: string, uuid: string) => {
    const order = JSON.parse(fixture(name).replace(/"id":\s*(\d{16,})/g, '"id":"$1"')) as Record<string, unknown>;
    order.note_attributes = [{ name: "joinchat_uuid", value: uuid }];
    return JSON.stringify(order);
  };

  it("a real order to a linked customer: one receipt planned under its catalog key, and the order's checkout closed", async () => {
    await ctx.links.link(SHOP, "uuid-1", {}, clock.now());
    const body = withUuid("orders-create.json", "uuid-1");
    const id = String((parseShopifyJson(body) as { id: unknown }).id);
    const outcome = await handle("orders/create", body);
    expect(outcome.state).toBe("processed");
    expect(outcome.deliveries).toHaveLength(1);
    expect(outcome.deliveries![0]).toMatchObject({ key: AUTOMATIONS.receipt.key(SHOP, id), automation: "receipt", promotional: false, recipient: { uuid: "uuid-1" } });
    expect(outcome.close!.every((c) => c.code === "order_placed")).toBe(true);
  });

  it("receipts switched off: skipped with the reason, nothing planned", async () => {
    await ctx.links.link(SHOP, "uuid-1", {}, clock.now());
    const outcome = await handle("orders/create", withUuid("orders-create.json", "uuid-1"), {
      settings: { automations: { welcome: true, abandoned: true, receipt: false, shipping: true } },
    });
    expect([outcome.state, outcome.note, outcome.deliveries]).toEqual(["skipped", "receipt automation is off", undefined]);
  });

  it("an order nobody is linked to: skipped for want of a recipient", async () => {
    const outcome = await handle("orders/create", fixture("orders-create.json"));
    expect(outcome.state).toBe("skipped");
    expect(outcome.note).toMatch(/^no recipient: /);
  });

  it("a cancelled order closes its payment reminder with the code", async () => {
    const outcome = await handle("orders/cancelled", fixture("orders-create.json"));
    expect(outcome.close).toEqual([expect.objectContaining({ code: "no_payment_needed" })]);
  });

  it("a carrier scan the app sends nothing for is skipped, and a payload that does not fit is skipped with the field", async () => {
    const scan = await handle("fulfillment_events/create", JSON.stringify({ id: 1, fulfillment_id: 2, order_id: 3, status: "in_transit", happened_at: "2026-12-06T10:00:00Z" }));
    expect([scan.state, scan.note]).toEqual(["skipped", 'fulfillment event "in_transit" is not a delivery update the app sends']);
    const broken = await handle("orders/create", JSON.stringify({ id: "1", line_items: "none" }));
    expect(broken.state).toBe("skipped");
    expect(broken.note).toMatch(/^payload not understood: /);
  });
});

describe("handlers registered against their catalog entries", () => {
  it("every automation of the catalog answers at least one topic, and every topic the app subscribes to has exactly one handler", async () => {
    const { KNOWN_TOPICS } = await import("../../src/events/topics");
    const registrations = await Promise.all(
      ["welcome-coupon", "abandoned-checkout", "receipt", "shipping", "delivery-update", "payment-reminder"].map(async (file) =>
        Object.values((await import(`../../src/automations/${file}`)) as Record<string, unknown>).filter(
          (v): v is { automation: string; topics: string[] } => typeof v === "object" && v !== null && "automation" in v && "topics" in v,
        ),
      ),
    );
    const byAutomation = new Map(registrations.flat().map((r) => [r.automation, r.topics]));
    expect([...byAutomation.keys()].sort()).toEqual(Object.keys(AUTOMATIONS).sort());
    expect(Object.keys(TOPIC_HANDLERS).sort()).toEqual([...KNOWN_TOPICS].sort());
  });
});
