import http from "node:http";
import type { AddressInfo } from "node:net";

// The library's runtime hooks (a subpath export this project's "node" module resolution cannot type).
const runtime = require("@shopify/shopify-api/runtime") as { abstractFetch: typeof fetch; setAbstractFetchFunc(f: typeof fetch): void };

export interface AdminRequest {
  at: number;
  path: string;
  accessToken: string | undefined;
  query: string;
  variables: Record<string, any>;
}

/** What the fake answers next: a GraphQL body (HTTP 200) or a bare HTTP status. */
export type AdminAnswer = { body: unknown } | { status: number; body?: unknown; headers?: Record<string, string> };

/** A bucket as Shopify reports it in `extensions.cost`. */
export function cost(currentlyAvailable: number, restoreRate = 50, requested = 10) {
  return { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: { maximumAvailable: 1000, currentlyAvailable, restoreRate } };
}

export const created = (available = 990) => ({
  body: { data: { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] } }, extensions: { cost: cost(available) } },
});
export const throttled = (available: number, restoreRate = 50) => ({
  body: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost: { ...cost(available, restoreRate), actualQueryCost: null } } },
});
export const userErrors = (...errors: { code: string; message: string; field?: string[] }[]) => ({
  body: { data: { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: errors } }, extensions: { cost: cost(990) } },
});

/** A request to Shopify's token endpoint (`POST https://<shop>/admin/oauth/access_token`), as the library sends it. */
export interface TokenRequest {
  grant_type: string;
  client_id: string;
  client_secret: string;
  subject_token?: string;
  requested_token_type?: string;
  expiring?: string;
  refresh_token?: string;
}

/**
 * A local stand-in for one shop's Admin GraphQL endpoint, over loopback. The library's abstract
 * fetch is pointed at it for requests to `https://<shop>/admin/`, so the app's own client code
 * (@shopify/shopify-api's GraphQL client) is what talks to it.
 */
export class FakeAdminApi {
  readonly requests: AdminRequest[] = [];
  readonly tokenRequests: TokenRequest[] = [];
  /** Answers token requests (token exchange, refresh, migration); by default Shopify's refusal. */
  tokenEndpoint: (r: TokenRequest) => { status: number; body: unknown } = () => ({ status: 400, body: { error: "invalid_subject_token" } });
  private readonly answers: AdminAnswer[] = [];
  private server?: http.Server;
  private readonly originalFetch = runtime.abstractFetch;

  /** Queues answers, in order; when none is queued, a discount is created. */
  answer(...answers: AdminAnswer[]): void {
    this.answers.push(...answers);
  }

  async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        if (req.url === "/admin/oauth/access_token") {
          this.tokenRequests.push(body);
          const t = this.tokenEndpoint(body);
          res.writeHead(t.status, { "content-type": "application/json" });
          return void res.end(JSON.stringify(t.body));
        }
        this.requests.push({
          at: Date.now(),
          path: req.url!,
          accessToken: req.headers["x-shopify-access-token"] as string | undefined,
          query: body.query,
          variables: body.variables,
        });
        const a = this.answers.shift() ?? created();
        const status = "status" in a ? a.status : 200;
        res.writeHead(status, { "content-type": "application/json", ...("headers" in a ? a.headers : {}) });
        res.end(JSON.stringify(a.body ?? {}));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    runtime.setAbstractFetchFunc(((input: string | URL | Request, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input).replace(/^https:\/\/[^/]+\/admin\//, `${origin}/admin/`);
      return fetch(url, init);
    }) as typeof fetch);
  }

  async close(): Promise<void> {
    runtime.setAbstractFetchFunc(this.originalFetch);
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}
