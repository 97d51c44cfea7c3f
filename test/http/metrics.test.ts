import { startHarness, type Harness } from "../helpers/app";
import { seedDeliveries, waitFor } from "../helpers/deliveries";
import { configureShop } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";

// A parser of Prometheus' text format other than the one that wrote it (prom-client has none of its own).
const parsePrometheus = require("parse-prometheus-text-format") as (
  text: string,
) => { name: string; type: string; metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string }[] }[];

describe("GET /metrics (prom-client)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await configureShop(h);
  });
  afterAll(() => h.close());

  it("parses as Prometheus text and holds the counters, the two histograms, the queue gauges and the process metrics", async () => {
    await postWebhook(h.url, fixture("orders-create.json"), { topic: "orders/create" });
    await seedDeliveries(h.app.ctx.db, 3);
    h.app.worker!.poke();
    await waitFor(
      () => h.app.ctx.db.delivery.count({ where: { state: "sent" } }),
      (n) => n === 3,
    );
    const res = await fetch(`${h.url}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const families = parsePrometheus(await res.text());
    const family = (name: string) => families.find((f) => f.name === name);

    expect(family("joinchat_webhooks_total")!.metrics).toContainEqual(expect.objectContaining({ labels: { outcome: "stored" }, value: "1" }));
    expect(family("joinchat_sends_total")!.metrics).toContainEqual(expect.objectContaining({ labels: { result: "sent" }, value: "3" }));
    const ack = family("joinchat_webhook_ack_seconds")!;
    expect(ack.type).toBe("HISTOGRAM");
    // The +Inf bucket counts every observation.
    expect(ack.metrics[0]!.buckets!["+Inf"]).toBe("1");
    expect(Object.keys(ack.metrics[0]!.buckets!)).toContain("0.01");
    const send = family("joinchat_send_seconds")!;
    expect(send.type).toBe("HISTOGRAM");
    expect(send.metrics.map((m) => m.buckets!["+Inf"])).toEqual(["3"]);
    expect(family("joinchat_deliveries")!.metrics).toContainEqual(expect.objectContaining({ labels: { state: "sent" }, value: "3" }));
    expect(family("joinchat_oldest_due_message_age_seconds")!.type).toBe("GAUGE");
    expect(family("joinchat_oldest_due_event_age_seconds")).toBeDefined();
    for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"])
      expect(family(name)).toBeDefined();
  });
});
