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

/** A store-credit grant the fake made, as Shopify would hold it. */
export interface CreditTransaction {
  id: string;
  ownerId: string;
  amount: string;
  currencyCode: string;
  expiresAt: string | null;
}

/** Shopify's refusal of a field the token's scopes do not cover (HTTP 200, a top-level GraphQL error). */
export const accessDenied = (field: string, scope: string) => ({
  body: {
    errors: [
      {
        message: `Access denied for ${field} field. Required access: \`${scope}\` access scope.`,
        extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess: `\`${scope}\` access scope.` },
        path: [field],
      },
    ],
    extensions: { cost: cost(990) },
  },
});

export const creditUserErrors = (...errors: { code: string; message: string; field?: string[] }[]) => ({
  body: { data: { storeCreditAccountCredit: { storeCreditAccountTransaction: null, userErrors: errors } }, extensions: { cost: cost(990) } },
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
  /** How long the token endpoint takes to answer, as Shopify's does over the internet. */
  tokenDelayMs = 0;
  private readonly answers: AdminAnswer[] = [];
  /** storeCreditAccountCredit calls, each as asked (id and creditInput), in order. */
  readonly creditRequests: { id: string; creditInput: { creditAmount: { amount: string; currencyCode: string }; expiresAt?: string } }[] = [];
  /** The grants made: what the shop's customers hold. */
  readonly credits: CreditTransaction[] = [];
  /** Answers to storeCreditAccountCredit queued ahead of the default (Shopify's own checks, then a grant). */
  private readonly creditAnswers: AdminAnswer[] = [];
  /** The scopes the token carries: without write_store_credit_account_transactions a grant is denied. */
  scopes = ["write_discounts", "write_store_credit_account_transactions"];
  private server?: http.Server;
  private readonly originalFetch = runtime.abstractFetch;

  /** The shop's IANA time zone, as `shop { ianaTimezone }` answers it; and how many times it was asked. */
  shopTimeZone = "UTC";
  timeZoneRequests = 0;

  /** Queues answers, in order; when none is queued, a discount is created. */
  answer(...answers: AdminAnswer[]): void {
    this.answers.push(...answers);
  }

  /** Queues answers to storeCreditAccountCredit, in order. */
  answerCredit(...answers: AdminAnswer[]): void {
    this.creditAnswers.push(...answers);
  }

  /**
   * storeCreditAccountCredit as Shopify documents it: the scope is required; `id` is a customer
   * (an account in the currency is opened) or a store credit account; the amount must be
   * positive and the expiry in the future (userErrors NEGATIVE_OR_ZERO_AMOUNT, EXPIRES_AT_IN_PAST,
   * OWNER_NOT_FOUND); the answer carries the transaction.
   */
  private credit(variables: Record<string, any>): AdminAnswer {
    const queued = this.creditAnswers.shift();
    if (queued) return queued;
    if (!this.scopes.includes("write_store_credit_account_transactions")) return accessDenied("storeCreditAccountCredit", "write_store_credit_account_transactions");
    const input = variables.creditInput;
    const errors: { code: string; message: string; field: string[] }[] = [];
    if (!/^gid:\/\/shopify\/(Customer|StoreCreditAccount)\/\d+$/.test(String(variables.id)))
      errors.push({ code: "OWNER_NOT_FOUND", message: "Owner does not exist.", field: ["id"] });
    if (!(Number(input?.creditAmount?.amount) > 0)) {
      errors.push({
        code: "NEGATIVE_OR_ZERO_AMOUNT",
        message: "A positive amount must be used to credit a store credit account.",
        field: ["creditInput", "creditAmount", "amount"],
      });
    }
    if (input?.expiresAt && Date.parse(input.expiresAt) <= Date.now()) {
      errors.push({ code: "EXPIRES_AT_IN_PAST", message: "The expiry date must be in the future.", field: ["creditInput", "expiresAt"] });
    }
    if (errors.length) return creditUserErrors(...errors);
    const t: CreditTransaction = {
      id: `gid://shopify/StoreCreditAccountCreditTransaction/${this.credits.length + 1}`,
      ownerId: variables.id,
      amount: input.creditAmount.amount,
      currencyCode: input.creditAmount.currencyCode,
      expiresAt: input.expiresAt ?? null,
    };
    this.credits.push(t);
    return {
      body: {
        data: {
          storeCreditAccountCredit: {
            storeCreditAccountTransaction: { id: t.id, amount: { amount: t.amount, currencyCode: t.currencyCode }, expiresAt: t.expiresAt },
            userErrors: [],
          },
        },
        extensions: { cost: cost(990) },
      },
    };
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
          return void setTimeout(() => {
            res.writeHead(t.status, { "content-type": "application/json" });
            res.end(JSON.stringify(t.body));
          }, this.tokenDelayMs);
        }
        // The shop's time zone (read at an admin load): answered apart, so queued answers and counted requests are the other calls'.
        if (/ShopTimeZone/.test(String(body.query))) {
          this.timeZoneRequests++;
          res.writeHead(200, { "content-type": "application/json" });
          return void res.end(JSON.stringify({ data: { shop: { ianaTimezone: this.shopTimeZone } }, extensions: { cost: cost(999, 50, 1) } }));
        }
        this.requests.push({
          at: Date.now(),
          path: req.url!,
          accessToken: req.headers["x-shopify-access-token"] as string | undefined,
          query: body.query,
          variables: body.variables,
        });
        const isCredit = /storeCreditAccountCredit\(/.test(String(body.query));
        if (isCredit) this.creditRequests.push(body.variables);
        const a = isCredit ? this.credit(body.variables) : (this.answers.shift() ?? created());
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
