import crypto from "node:crypto";
import { startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { nowSeconds, signedProxyQuery } from "../helpers/proxy";
import { configureShop } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";

const RATE = 300; // webhooks a second
const SECONDS = 4;
const OPT_INS = 60;

describe("storefront opt-ins under a webhook burst on SQLite", () => {
  let h: Harness;
  beforeAll(async () => {
    // The whole app in one process (ROLE=all, the SQLite default): the processor and the
    // delivery worker write while webhooks are stored and shoppers click.
    // Each shopper from their own address, as a load balancer in front reports it.
    h = await startHarness({ TRUST_PROXY: "1" });
    await configureShop(h);
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
  });
  afterAll(() => h.close());

  it(`${OPT_INS} opt-ins while ${RATE} webhooks/s arrive: every one answered 200 and stored`, async () => {
    const order = fixture("orders-create.json");
    const webhooks: Promise<number>[] = [];
    const optIns: Promise<number>[] = [];
    const started = performance.now();
    const total = RATE * SECONDS;
    // Paced by the clock, 10 ms at a time, so a slow turn is made up instead of stretching the run.
    for (let tick = 0; webhooks.length < total; tick++) {
      const due = Math.min(total, Math.round(((performance.now() - started) / 1000) * RATE));
      while (webhooks.length < due) webhooks.push(postWebhook(h.url, order, { topic: "orders/create", eventId: crypto.randomUUID() }).then((r) => r.status));
      const optInsDue = Math.min(OPT_INS, Math.floor((webhooks.length / total) * OPT_INS));
      while (optIns.length < optInsDue) {
        const i = optIns.length;
        const query = signedProxyQuery({ shop: SHOP, path_prefix: "/apps/joinchat", logged_in_customer_id: String(5000 + i), timestamp: nowSeconds() });
        optIns.push(
          fetch(`${h.url}/proxy/link?${query}`, {
            method: "POST",
            // Each shopper from their own address, as Shopify's proxy reports it.
            headers: { "content-type": "application/json", "x-forwarded-for": `203.0.113.${i + 1}` },
            body: JSON.stringify({ uuid: `shopper-${i}` }),
          }).then((r) => r.status),
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const sentIn = (performance.now() - started) / 1000;
    const [webhookStatuses, optInStatuses] = await Promise.all([Promise.all(webhooks), Promise.all(optIns)]);
    console.log(
      `[figures] ${webhooks.length} webhooks sent in ${sentIn.toFixed(1)} s (${Math.round(webhooks.length / sentIn)}/s), ${optIns.length} opt-ins: ${optInStatuses.filter((s) => s === 200).length} answered 200`,
    );

    expect(optInStatuses).toEqual(Array(OPT_INS).fill(200));
    expect(webhookStatuses.filter((s) => s !== 200)).toEqual([]);
    const links = await h.app.ctx.db.recipientLink.findMany({ where: { uuid: { startsWith: "shopper-" } } });
    expect(links.map((l) => [l.uuid, l.customerId]).sort()).toEqual(Array.from({ length: OPT_INS }, (_, i) => [`shopper-${i}`, String(5000 + i)]).sort());
    expect(await h.app.ctx.db.webhookEvent.count()).toBe(total);
  }, 120_000);
});
