import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { startHarness } from "../helpers/app";
import { ADMIN_DIST } from "../../src/http/admin-page";

/** The admin's largest script (React and Polaris, about 500 KB), asked for uncompressed. */
function largestAdminScript(): string {
  const dir = path.join(ADMIN_DIST, "assets");
  const scripts = fs.readdirSync(dir).filter((f) => f.endsWith(".js"));
  return scripts.reduce((a, b) => (fs.statSync(path.join(dir, a)).size >= fs.statSync(path.join(dir, b)).size ? a : b));
}

/**
 * A keep-alive connection that asked for the admin's largest script and has not read it: its
 * response cannot finish until the client reads on (socket.resume()).
 */
async function unreadAdminBundle(url: string): Promise<net.Socket> {
  const socket = net.connect(Number(new URL(url).port), "127.0.0.1");
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(`GET /admin/assets/${largestAdminScript()} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  await new Promise<void>((resolve) => socket.once("readable", () => resolve()));
  socket.pause();
  return socket;
}

describe("stopping the app", () => {
  it("does not wait forever for a client that stopped reading a response", async () => {
    const h = await startHarness({}, { shutdownGraceMs: 300 });
    const socket = await unreadAdminBundle(h.url);
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
    expect(await pending).toMatchObject({ status: 200, body: { ok: true, database: "up" } });
  });

  it("closes a keep-alive connection once its response is done, not at the end of the grace", async () => {
    const h = await startHarness({}, { shutdownGraceMs: 5_000 });
    // HTTP/1.1 keeps the connection open after the answer unless one side says otherwise. The
    // bundle is read only after stop() began, so its response is in flight meanwhile.
    const socket = await unreadAdminBundle(h.url);
    const chunks: Buffer[] = [];
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const started = Date.now();
    const stopped = h.close();
    await new Promise((r) => setTimeout(r, 200));
    socket.on("data", (d: Buffer) => void chunks.push(d));
    socket.resume();
    await Promise.all([stopped, closed]);
    // The whole response arrived before the connection closed.
    const raw = Buffer.concat(chunks);
    const headEnd = raw.indexOf("\r\n\r\n");
    const length = Number(/content-length: (\d+)/i.exec(raw.subarray(0, headEnd).toString())?.[1]);
    expect(length).toBeGreaterThan(100_000);
    expect(raw.length - headEnd - 4).toBe(length);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
