import { startHarness, type Harness } from "../helpers/app";
import { SHOP, seedDeliveries } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";
import { Session } from "@shopify/shopify-api";
import { signSessionToken } from "../../src/shopify/session-token";

const CUSTOMER = "8658316394796";
const redactPayload = JSON.stringify({
  shop_id: 91740864812,
  shop_domain: SHOP,
  customer: { id: Number(CUSTOMER), email: "alan@example.com", phone: "+85200000000" },
  orders_to_redact: [6198432301356],
});

describe("compliance topics", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({}, { background: false });
    await configureShop(h);
    const links = h.app.ctx.links;
    await links.link(SHOP, "uuid-phone", { customerId: CUSTOMER }, new Date(Date.now() - 1000));
    await links.link(SHOP, "uuid-laptop", { customerId: CUSTOMER }, new Date());
    await links.link(SHOP, "uuid-by-email", { email: "alan@example.com" }, new Date());
    await links.link(SHOP, "uuid-someone-else", { customerId: "42" }, new Date());
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await drain(h);
  });
  afterEach(() => h.close());
  const db = () => h.app.ctx.db;

  it("customers/data_request stores what the app holds on the customer for the merchant", async () => {
    await postWebhook(h.url, JSON.stringify({ shop_domain: SHOP, customer: { id: Number(CUSTOMER), email: "alan@example.com" }, orders_requested: [6198432301356] }), {
      topic: "customers/data_request",
    });
    await drain(h);
    const request = await db().dataRequest.findFirstOrThrow();
    expect(request.customerId).toBe(CUSTOMER);
    const report = JSON.parse(request.report);
    expect(report.links.map((l: { uuid: string }) => l.uuid).sort()).toEqual(["uuid-by-email", "uuid-laptop", "uuid-phone"]);
    expect(report.deliveries).toHaveLength(1);
    expect(report.deliveries[0].automation).toBe("receipt");

    // The merchant sees it in the admin and downloads it; another shop's token finds nothing.
    const as = (shop: string) => ({ headers: { authorization: `Bearer ${signSessionToken(h.app.ctx.config, shop, 60)}` } });
    const list = (await (await fetch(`${h.url}/admin/api/data-requests`, as(SHOP))).json()) as { requests: { id: string; customerId: string }[] };
    expect(list.requests).toEqual([{ id: request.id, customerId: CUSTOMER, receivedAt: request.createdAt.toISOString() }]);
    const download = await fetch(`${h.url}/admin/api/data-requests/${request.id}`, as(SHOP));
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="data-request-8658316394796-\d{4}-\d\d-\d\d\.json"$/);
    expect(await download.json()).toMatchObject({ shop: SHOP, customerId: CUSTOMER, links: report.links });
    expect((await fetch(`${h.url}/admin/api/data-requests/${request.id}`, as("other-store.myshopify.com"))).status).toBe(404);
  });

  it("customers/redact deletes every link, message and stored event of the customer, and no one else's", async () => {
    expect(await db().delivery.count()).toBe(1);
    await postWebhook(h.url, redactPayload, { topic: "customers/redact" });
    await drain(h);
    expect((await db().recipientLink.findMany()).map((l) => l.uuid)).toEqual(["uuid-someone-else"]);
    expect(await db().delivery.count()).toBe(0);
    const events = await db().webhookEvent.findMany();
    expect(events.map((e) => e.topic)).toEqual(["customers/redact"]);
    // Its payload is emptied, and no payload of a deleted event is left behind.
    expect(await db().webhookPayload.findMany()).toEqual([{ eventId: events[0]!.id, payload: "{}" }]);
  });

  it("shop/redact deletes everything the app holds for the shop", async () => {
    await seedDeliveries(db(), 3, { prefix: "extra" });
    await postWebhook(h.url, JSON.stringify({ shop_id: 91740864812, shop_domain: SHOP }), { topic: "shop/redact" });
    await drain(h);
    expect(await db().shop.count()).toBe(0);
    expect(await db().recipientLink.count()).toBe(0);
    expect(await db().delivery.count()).toBe(0);
    expect(await db().webhookEvent.count()).toBe(1);
    expect((await db().webhookPayload.findMany()).map((p) => p.payload)).toEqual(["{}"]);
  });

  it("app/uninstalled deactivates the shop, deletes its sessions and cancels what was still to send", async () => {
    await h.app.ctx.sessions.store(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "s", isOnline: false, accessToken: "shpat_x" }));
    await seedDeliveries(db(), 2, { prefix: "later", runAt: new Date(Date.now() + 3600_000) });
    await postWebhook(h.url, JSON.stringify({ id: 91740864812, domain: SHOP }), { topic: "app/uninstalled" });
    await drain(h);
    expect(await db().session.count()).toBe(0);
    expect((await h.app.ctx.shops.find(SHOP))!.uninstalledAt).not.toBeNull();
    expect((await db().delivery.findMany({ where: { key: { startsWith: "later" } } })).map((d) => d.state)).toEqual(["cancelled", "cancelled"]);
    // Later events of the uninstalled shop are recorded as skipped.
    await postWebhook(h.url, fixture("orders-create-2.json"), { topic: "orders/create" });
    await drain(h);
    const last = await db().webhookEvent.findFirstOrThrow({ where: { topic: "orders/create" }, orderBy: { receivedAt: "desc" } });
    expect(last.note).toMatch(/uninstalled/);
  });

  it("app/uninstalled and shop/redact triggered before the shop's latest install change nothing and are recorded as skipped", async () => {
    // The merchant uninstalled ten minutes ago and reinstalled since; Shopify's retries of those webhooks arrive now.
    const uninstalledAt = new Date(Date.now() - 10 * 60_000).toISOString();
    await h.app.ctx.shops.markInstalled(SHOP, new Date(Date.now() - 60_000));
    await h.app.ctx.sessions.store(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "s", isOnline: false, accessToken: "shpat_x" }));
    await seedDeliveries(db(), 1, { prefix: "later", runAt: new Date(Date.now() + 3600_000) });
    await postWebhook(h.url, JSON.stringify({ id: 91740864812, domain: SHOP }), { topic: "app/uninstalled", triggeredAt: uninstalledAt });
    await postWebhook(h.url, JSON.stringify({ shop_id: 91740864812, shop_domain: SHOP }), { topic: "shop/redact", triggeredAt: uninstalledAt });
    await drain(h);

    const events = await db().webhookEvent.findMany({ where: { topic: { in: ["app/uninstalled", "shop/redact"] } } });
    expect(events.map((e) => [e.topic, e.state]).sort()).toEqual([
      ["app/uninstalled", "skipped"],
      ["shop/redact", "skipped"],
    ]);
    expect(events.every((e) => /before the shop's latest install/.test(e.note ?? ""))).toBe(true);
    expect((await h.app.ctx.shops.find(SHOP))!.installed).toBe(true);
    expect(await db().session.count()).toBe(1);
    expect(await db().recipientLink.count()).toBe(4);
    expect((await db().delivery.findMany({ where: { key: { startsWith: "later" } } })).map((d) => d.state)).toEqual(["scheduled"]);
    expect(await h.app.ctx.shops.adminTokensNotBefore(SHOP)).toBeNull();
  });
});
