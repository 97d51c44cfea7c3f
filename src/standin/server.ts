import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { z } from "zod";
import { sendBodySchema, type SendBody } from "../messages/schema";
import { isValidSignature } from "../joinchat/signature";

/**
 * A local stand-in for JoinChat's send_message API, for tests, `npm run demo`, benchmarks and
 * developers. It checks what the real API checks (the signature of the page's bot, the body's
 * rules) and records what it accepted. It can be told to answer slowly, fail or hang, from code
 * or over HTTP (`POST /_control`), so tests in other processes can steer it too.
 */
export interface RecordedMessage {
  at: number;
  body: SendBody;
  raw: string;
  signature: string;
}

export interface StandInBehaviour {
  /** Added to every answer, in ms. */
  latencyMs: number;
  /** The next N calls are answered with `failStatus`. */
  failNext: number;
  failStatus: number;
  /** The next N calls get no answer at all (the client's timeout must fire). */
  hangNext: number;
  /** Fraction 0..1 of calls answered with 503 at random. */
  failRate: number;
}

const controlSchema = z.object({
  pages: z.record(z.string(), z.string()).optional(),
  latencyMs: z.number().int().min(0).optional(),
  failNext: z.number().int().min(0).optional(),
  failStatus: z.number().int().min(400).max(599).optional(),
  hangNext: z.number().int().min(0).optional(),
  failRate: z.number().min(0).max(1).optional(),
  reset: z.boolean().optional(),
});

export class JoinChatStandIn {
  readonly messages: RecordedMessage[] = [];
  /** Every call, accepted or not, with the status it got. */
  readonly calls: { at: number; status: number; reason?: string }[] = [];
  readonly behaviour: StandInBehaviour = { latencyMs: 0, failNext: 0, failStatus: 503, hangNext: 0, failRate: 0 };
  private readonly pages = new Map<string, string>();
  private server?: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();

  constructor(pages: Record<string, string> = {}) {
    for (const [pageId, secret] of Object.entries(pages)) this.pages.set(pageId, secret);
  }

  /** Registers a page's bot and its secret (rotating the secret is calling this again). */
  addPage(pageId: string, secret: string): void {
    this.pages.set(pageId, secret);
  }

  set(change: Partial<StandInBehaviour>): void {
    Object.assign(this.behaviour, change);
  }

  reset(): void {
    this.messages.length = 0;
    this.calls.length = 0;
    Object.assign(this.behaviour, { latencyMs: 0, failNext: 0, failStatus: 503, hangNext: 0, failRate: 0 });
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error("stand-in is not listening");
    return `http://127.0.0.1:${address.port}/api/send_message`;
  }

  app(): express.Express {
    const app = express();
    app.disable("x-powered-by");
    app.post("/api/send_message", express.raw({ type: () => true, limit: "1mb" }), (req, res) => this.receive(req, res));
    app.post("/_control", express.json(), (req, res) => {
      const parsed = controlSchema.safeParse(req.body);
      if (!parsed.success) return void res.status(400).json({ error: parsed.error.issues[0]?.message });
      const { pages, reset, ...change } = parsed.data;
      if (reset) this.reset();
      for (const [pageId, secret] of Object.entries(pages ?? {})) this.addPage(pageId, secret);
      this.set(change);
      res.json({ ok: true, behaviour: this.behaviour });
    });
    app.get("/_messages", (_req, res) => void res.json({ messages: this.messages, calls: this.calls.length }));
    return app;
  }

  listen(port = 0, host = "127.0.0.1"): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server = http.createServer(this.app());
      this.server.keepAliveTimeout = 30_000;
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve(this.url));
    });
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  private async receive(req: express.Request, res: express.Response): Promise<void> {
    const b = this.behaviour;
    if (b.hangNext > 0) {
      b.hangNext--;
      this.calls.push({ at: Date.now(), status: 0, reason: "hung" });
      this.hanging.add(res);
      res.on("close", () => this.hanging.delete(res));
      return;
    }
    if (b.latencyMs > 0) await new Promise((r) => setTimeout(r, b.latencyMs));
    const answer = (status: number, payload: object, reason?: string) => {
      this.calls.push({ at: Date.now(), status, reason });
      res.status(status).json(payload);
    };
    if (b.failNext > 0) {
      b.failNext--;
      return answer(b.failStatus, { code: b.failStatus, msg: "injected failure" }, "injected");
    }
    if (b.failRate > 0 && Math.random() < b.failRate) return answer(503, { code: 503, msg: "injected random failure" }, "injected");
    const raw = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return answer(400, { code: 400, msg: "body is not JSON" }, "not json");
    }
    const pageId = String((json as { page_id?: unknown })?.page_id ?? "");
    const secret = this.pages.get(pageId);
    if (!secret) return answer(404, { code: 404, msg: `page ${pageId} has no bot here` }, "unknown page");
    const signature = req.get("x-joinchat-signature") ?? "";
    if (!isValidSignature(raw, secret, signature)) return answer(401, { code: 401, msg: "signature does not match" }, "bad signature");
    const parsed = sendBodySchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return answer(400, { code: 400, msg: `${issue.path.join(".")}: ${issue.message}` }, "invalid body");
    }
    this.messages.push({ at: Date.now(), body: parsed.data, raw, signature });
    answer(200, { code: 0, msg: "success" });
  }
}
