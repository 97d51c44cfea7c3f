import net from "node:net";
import { startHarness } from "../helpers/app";

describe("stopping the app", () => {
  it("does not wait forever for a client that stopped reading a response", async () => {
    const h = await startHarness({}, { shutdownGraceMs: 300 });
    const { port } = new URL(h.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    // The admin bundle (about 500 KB) is not read: its response cannot finish while the client waits.
    socket.write(`GET /admin/assets/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await new Promise<void>((resolve) => socket.once("readable", () => resolve()));
    socket.pause();
    const started = Date.now();
    await h.close();
    const took = Date.now() - started;
    // The stalled response held the connection open until the grace ran out, and no longer.
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(10_000);
    socket.on("error", () => {});
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.resume();
    await closed;
  });

  it("answers a request already in flight before it stops", async () => {
    const h = await startHarness({}, { shutdownGraceMs: 5_000 });
    const pending = fetch(`${h.url}/healthz`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await new Promise((r) => setTimeout(r, 5));
    await h.close();
    expect(await pending).toEqual({ status: 200, body: { ok: true, database: "up" } });
  });
});
