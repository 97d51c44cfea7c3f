import { exited, freePort, startAppProcess, waitUntilHealthy } from "../helpers/processes";
import { freshSqliteUrl } from "../helpers/db";

describe("ROLE=worker with METRICS_PORT", () => {
  it("answers GET /healthz and GET /metrics on its METRICS_PORT over loopback, and nothing else there or on PORT", async () => {
    const [metricsPort, port] = [await freePort(), await freePort()];
    const worker = startAppProcess({ ROLE: "worker", METRICS_PORT: String(metricsPort), PORT: String(port), DATABASE_URL: freshSqliteUrl() });
    const url = `http://127.0.0.1:${metricsPort}`;
    try {
      await waitUntilHealthy(url);
      const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string; database: string; joinchat: { state: string } };
      expect(health).toMatchObject({ status: "up", database: "up" });
      // A worker sends: its health speaks of its own sends (a ROLE=web process says it sends none).
      expect(health.joinchat.state).toBe("ok");

      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
      const text = await metrics.text();
      expect(text).toContain("# TYPE joinchat_deliveries gauge");
      expect(text).toMatch(/^joinchat_oldest_due_message_age_seconds 0$/m);
      expect(text).toContain("process_resident_memory_bytes");

      // Only those two: not the webhooks, the admin or the proxy.
      expect((await fetch(`${url}/webhooks`, { method: "POST", body: "{}" })).status).toBe(404);
      expect((await fetch(`${url}/proxy/config`)).status).toBe(404);
      // A worker serves no HTTP on PORT.
      const onPort = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => "refused",
      );
      expect(onPort).toBe("refused");
    } finally {
      worker.kill("SIGTERM");
      await exited(worker);
    }
  }, 90_000);
});
