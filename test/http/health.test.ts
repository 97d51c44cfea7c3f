import { startHarness, type Harness } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { seedDeliveries } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";

describe("GET /healthz", () => {
  let h: Harness;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    h = await startHarness({}, { background: false, clock });
    await configureShop(h);
  });
  afterEach(() => h.close());
  const health = async () => {
    const res = await fetch(`${h.url}/healthz`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it("answers up, with the database, JoinChat and the backlog each told apart", async () => {
    expect(await health()).toEqual({
      status: 200,
      body: {
        ok: true,
        status: "up",
        database: "up",
        joinchat: { state: "ok", recentSends: 0, recentFailures: 0, failureRate: 0 },
        backlog: { state: "ok", oldestDueEventAgeSeconds: 0, oldestDueMessageAgeSeconds: 0 },
      },
    });
  });

  it("says JoinChat is failing when most recent sends failed, and /metrics says the same", async () => {
    h.standIn.set({ failNext: 100, failStatus: 503 });
    await seedDeliveries(h.app.ctx.db, 6, { runAt: new Date(clock.now().getTime() - 60_000) });
    await drain(h);
    const r = await health();
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("degraded");
    expect(r.body.joinchat).toEqual({ state: "failing", recentSends: 6, recentFailures: 6, failureRate: 1 });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain("joinchat_recent_send_failures 6");
  });

  it("says events and messages are backing up, with the oldest due item's age", async () => {
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await seedDeliveries(h.app.ctx.db, 1, { runAt: clock.now() });
    clock.advanceMinutes(10);
    const r = await health();
    expect(r.body.status).toBe("degraded");
    expect(r.body.backlog.state).toBe("backing up");
    expect(r.body.backlog.oldestDueEventAgeSeconds).toBeGreaterThanOrEqual(600);
    expect(r.body.backlog.oldestDueMessageAgeSeconds).toBeGreaterThanOrEqual(600);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/joinchat_oldest_due_message_age_seconds (6\d\d)/);
    await drain(h);
    expect((await health()).body.status).toBe("up");
  });

  it("answers 404 as JSON for an unknown route", async () => {
    const res = await fetch(`${h.url}/nowhere`);
    expect(res.status).toBe(404);
  });
});
