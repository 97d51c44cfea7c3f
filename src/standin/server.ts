import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { z } from "zod";
import { isValidSignature } from "../joinchat/signature";
import { checkBody } from "./rules";

/**
 * A local stand-in for JoinChat's send_message API, for tests, `npm run demo`, benchmarks and
 * developers. It checks what the real API checks (the signature of the page's bot, the body's
 * rules as the vendor's page states them: ./rules.ts, independent of the app's own schema) and
 * answers in JoinChat's documented forms: `{"success": true, "recipient_id": ...}`, or
 * `{"success": false, "errors": {"code", "msg"}}`. It can be told to answer slowly, fail, hang or
 * refuse, from code or over HTTP (`POST /_control`), so tests in other processes can steer it too.
 */

/** An accepted body as JSON.parse reads it (amounts are numbers). */
export interface AcceptedBody {
  page_id: string | number;
  recipient: { id?: string; phone?: string; email?: string; uuid?: string };
  // Tests read any part of any message kind.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  message: any;
  tag?: string;
  delay?: number;
}

export interface RecordedMessage {
  at: number;
  body: AcceptedBody;
  raw: string;
  signature: string;
}

export interface StandInBehaviour {
  /** Added to every answer, in ms. */
  latencyMs: number;
  /** The next N calls are answered with `failStatus` (and a `Retry-After` of `retryAfter`, when set). */
  failNext: number;
  failStatus: number;
  retryAfter: string | null;
  /** The next N calls get no answer at all (the client's timeout must fire). */
  hangNext: number;
  /** Fraction 0..1 of calls answered with 503 at random. */
  failRate: number;
  /** The next N valid calls are refused: 200 with `{"success": false, "errors": {code, msg}}`. */
  refuseNext: number;
  refuseCode: number;
  refuseMsg: string;
  /** uuids JoinChat does not know: every message to them is refused with 10010 "Recipient not found". */
  unknownRecipients: string[];
}

const DEFAULT_BEHAVIOUR: StandInBehaviour = {
  latencyMs: 0,
  failNext: 0,
  failStatus: 503,
  retryAfter: null,
  hangNext: 0,
  failRate: 0,
  refuseNext: 0,
  refuseCode: 10010,
  refuseMsg: "Recipient not found",
  unknownRecipients: [],
};

const controlSchema = z.object({
  pages: z.record(z.string(), z.string()).optional(),
  latencyMs: z.number().int().min(0).optional(),
  failNext: z.number().int().min(0).optional(),
  failStatus: z.number().int().min(400).max(599).optional(),
  retryAfter: z.string().nullable().optional(),
  hangNext: z.number().int().min(0).optional(),
  failRate: z.number().min(0).max(1).optional(),
  refuseNext: z.number().int().min(0).optional(),
  refuseCode: z.number().int().optional(),
  refuseMsg: z.string().optional(),
  unknownRecipients: z.array(z.string()).optional(),
  reset: z.boolean().optional(),
});

export class JoinChatStandIn {
  readonly messages: RecordedMessage[] = [];
  /** Every call, accepted or not, with the status it got. */
  readonly calls: { at: number; status: number; reason?: string }[] = [];
  readonly behaviour: StandInBehaviour = { ...DEFAULT_BEHAVIOUR };
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
    Object.assign(this.behaviour, DEFAULT_BEHAVIOUR, { unknownRecipients: [] });
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
    const refuse = (status: number, code: number, msg: string, reason: string) => answer(status, { success: false, errors: { code, msg } }, reason);
    if (b.failNext > 0) {
      b.failNext--;
      if (b.retryAfter !== null) res.set("retry-after", b.retryAfter);
      return refuse(b.failStatus, b.failStatus, "injected failure", "injected");
    }
    if (b.failRate > 0 && Math.random() < b.failRate) return refuse(503, 503, "injected random failure", "injected");
    const raw = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return refuse(400, 400, "body is not JSON", "not json");
    }
    const pageId = String((json as { page_id?: unknown })?.page_id ?? "");
    const secret = this.pages.get(pageId);
    if (!secret) return refuse(404, 404, `page ${pageId} has no bot here`, "unknown page");
    const signature = req.get("x-joinchat-signature") ?? "";
    if (!isValidSignature(raw, secret, signature)) return refuse(401, 401, "signature does not match", "bad signature");
    const problems = checkBody(raw);
    if (problems.length) return refuse(400, 400, problems.map((p) => `${p.field}: ${p.rule}`).join("; "), "invalid body");
    const body = json as AcceptedBody;
    if (body.recipient.uuid !== undefined && b.unknownRecipients.includes(body.recipient.uuid)) return refuse(200, 10010, "Recipient not found", "refused");
    if (b.refuseNext > 0) {
      b.refuseNext--;
      return refuse(200, b.refuseCode, b.refuseMsg, "refused");
    }
    this.messages.push({ at: Date.now(), body, raw, signature });
    answer(200, { success: true, recipient_id: recipientIdOf(body.recipient) });
  }
}

/** A stable Messenger-like id (16 digits) per recipient, as JoinChat answers with the id it sent to. */
function recipientIdOf(recipient: AcceptedBody["recipient"]): string {
  const key = JSON.stringify(recipient);
  let h = 1469598103934665603n;
  for (const ch of key) h = ((h ^ BigInt(ch.codePointAt(0)!)) * 1099511628211n) & 0xffffffffffffffffn;
  return (1_000_000_000_000_000n + (h % 9_000_000_000_000_000n)).toString();
}
