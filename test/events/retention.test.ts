import { harnessPerTest } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { describePostgres, freshPostgresUrl } from "../helpers/db";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";

function retentionCases(databaseUrl: () => Promise<Record<string, string>>) {
  let clock: TestClock;
  const h = harnessPerTest(
    async () => ({ ...(await databaseUrl()), WEBHOOK_PAYLOAD_RETENTION_DAYS: "30" }),
    () => ({ background: false, clock: (clock = new TestClock()) }),
    configureShop,
  );
  const payloadOf = async (topic: string) => {
    const e = await h.app.ctx.db.webhookEvent.findFirstOrThrow({ where: { topic } });
    return h.app.ctx.db.webhookPayload.findUnique({ where: { eventId: e.id } });
  };

  it("deletes the payloads of events handled more than 30 days ago, and keeps newer ones and those still to handle", async () => {
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await postWebhook(h.url, "{}", { topic: "products/create" }); // an unknown topic: recorded as skipped on arrival, without its body
    await drain(h);
    clock.advanceMinutes(20 * 24 * 60);
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    await postWebhook(h.url, fixture("orders-create-2.json"), { topic: "orders/paid" }); // not handled yet

    clock.advanceMinutes(10 * 24 * 60 - 1);
    expect(await h.app.retention!.runOnce()).toBe(0);
    clock.advanceMinutes(2);
    expect(await h.app.retention!.runOnce()).toBe(1);
    expect(await payloadOf("orders/create")).toBeNull();
    expect(await payloadOf("products/create")).toBeNull();
    expect(await payloadOf("customers/create")).not.toBeNull();
    expect(await payloadOf("orders/paid")).not.toBeNull();
    // The events themselves stay, and a second pass finds nothing more.
    expect(await h.app.ctx.db.webhookEvent.count()).toBe(4);
    expect(await h.app.retention!.runOnce()).toBe(0);
  });
}

describe("webhook payload retention (WEBHOOK_PAYLOAD_RETENTION_DAYS), SQLite", () => retentionCases(async () => ({})));
describePostgres("webhook payload retention (WEBHOOK_PAYLOAD_RETENTION_DAYS), PostgreSQL", () => retentionCases(async () => ({ DATABASE_URL: await freshPostgresUrl() })));
