import { z } from "zod";
import { DEFAULT_DATABASE_URL, providerOf } from "./database-url";
import { AppError } from "../errors";

/** A configuration value that stops start-up; the message names the variable and what is wrong. */
export class ConfigError extends AppError {
  readonly code = "config";
  readonly operatorFixable = true;
  readonly name = "ConfigError";
}

/**
 * The scopes the features need, the same as shopify.app.toml's (README, "Access scopes"):
 * read_customers for customers/create, read_orders for orders/* and checkouts/* (Shopify gates
 * checkout webhooks by it; there is no read_checkouts need), read_fulfillments for
 * fulfillments/* and fulfillment_events/*, write_discounts for unique welcome codes,
 * write_store_credit_account_transactions for the welcome message's store credit, write_app_proxy
 * for the storefront's app proxy (shopify.app.toml's [app_proxy]: Shopify requires it to configure one).
 */
export const DEFAULT_SCOPES = "read_customers,read_orders,read_fulfillments,write_discounts,write_store_credit_account_transactions,write_app_proxy";

const PRODUCTION_RETRY_BASE_MS = 5_000;

const blankAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** 32 random bytes, as 64 hex digits or base64: ENCRYPTION_KEY, and NEW_ENCRYPTION_KEY while rotating it. */
const encryptionKey = z.preprocess(
  blankAsUndefined,
  z
    .string()
    .refine((k) => /^[0-9a-fA-F]{64}$/.test(k) || /^[A-Za-z0-9+/]{43}=$/.test(k), { message: "must be 32 random bytes, as 64 hex digits (openssl rand -hex 32) or base64" })
    .optional(),
);

const envSchema = z.object({
  PORT: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  DATABASE_URL: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .default(DEFAULT_DATABASE_URL)
      .refine((u) => u.startsWith("file:") || /^postgres(ql)?:\/\//.test(u), {
        message: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
      }),
  ),
  SHOPIFY_API_KEY: z.preprocess(blankAsUndefined, z.string().optional()),
  SHOPIFY_API_SECRET: z.preprocess(blankAsUndefined, z.string().optional()),
  SHOPIFY_APP_URL: z.preprocess(blankAsUndefined, z.url({ message: "must be a URL such as https://app.example.com" }).optional()),
  SHOPIFY_SCOPES: z.preprocess(blankAsUndefined, z.string().default(DEFAULT_SCOPES)),
  JOINCHAT_API_URL: z.preprocess(
    blankAsUndefined,
    z.url({ message: "must be a URL such as https://joinchat.ai/api/send_message" }).default("https://joinchat.ai/api/send_message"),
  ),
  ENCRYPTION_KEY: encryptionKey,
  /** Only for `keys:rotate`: the key every secret is sealed again with (from the environment, never a command line). */
  NEW_ENCRYPTION_KEY: encryptionKey,
  ROLE: z.preprocess(blankAsUndefined, z.enum(["all", "web", "worker"], { message: "must be all, web or worker" }).default("all")),
  /**
   * A port of this process's own for GET /healthz and GET /metrics alone: how a ROLE=worker
   * process (which serves no HTTP otherwise) is watched. Unset: none. Each process on one machine
   * needs its own, so there is no default; 0 lets the system pick one (logged at start).
   */
  METRICS_PORT: z.preprocess(blankAsUndefined, z.coerce.number({ message: "must be a port number" }).int().min(0).max(65535).optional()),
  JOINCHAT_RETRY_BASE_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).default(PRODUCTION_RETRY_BASE_MS)),
  /** How long claimed work (a message, a stored event) stays with a process before another takes it over. */
  DELIVERY_LEASE_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(100).default(60_000)),
  JOINCHAT_TIMEOUT_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(100).default(10_000)),
  /** While JoinChat is down (src/delivery/outage.ts), how often a worker tries it with one message. */
  JOINCHAT_PROBE_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(100).default(5_000)),
  /** How long a receipt or shipping notice is retried through a JoinChat outage before it is a dead letter. */
  TRANSACTIONAL_RETRY_HOURS: z.preprocess(
    blankAsUndefined,
    z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
  ),
  /** The longest wait a JoinChat `Retry-After` may ask for; a longer (or absurd) one is cut to this. */
  JOINCHAT_RETRY_AFTER_MAX_MS: z.preprocess(
    blankAsUndefined,
    z.coerce
      .number()
      .int()
      .min(0)
      .default(60 * 60 * 1000),
  ),
  /** First retry delay of a stored event whose handler failed; later ones double, with jitter. */
  EVENT_RETRY_BASE_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).default(10_000)),
  /** Keeps GET /auth and /auth/callback (authorization-code grant) for installs outside Shopify admin. */
  SHOPIFY_LEGACY_OAUTH: z.preprocess(
    blankAsUndefined,
    z
      .enum(["true", "false"], { message: "must be true or false" })
      .default("false")
      .transform((v) => v === "true"),
  ),
  /** Days a processed webhook's payload is kept before it is deleted (the event's row stays). */
  WEBHOOK_PAYLOAD_RETENTION_DAYS: z.preprocess(blankAsUndefined, z.coerce.number().min(1, { message: "must be at least 1" }).max(3650).default(30)),
  /**
   * Proxies in front of the app (load balancer, Shopify's app proxy) whose X-Forwarded-For entry is
   * believed. None by default: reached directly, a client would otherwise choose its own address.
   */
  TRUST_PROXY: z.preprocess(blankAsUndefined, z.coerce.number({ message: "must be a number of proxy hops (0 or more)" }).int().min(0).max(10).default(0)),
  LOG_LEVEL: z.preprocess(blankAsUndefined, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  appUrl: string;
  provider: "sqlite" | "postgresql";
  /** What is missing before real Shopify webhooks can be received; empty when nothing is. */
  missingForShopify: string[];
}

/** Reads and validates the environment once; a bad value throws ConfigError naming the variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    // Keys and secrets are never echoed, not even a wrong one.
    const secret = /KEY|SECRET|TOKEN|PASSWORD/.test(name);
    const shown = source[name] === undefined || secret ? "" : ` (got "${String(source[name]).slice(0, 60)}")`;
    throw new ConfigError(`${name} ${issue.message}${shown}`);
  }
  const env = parsed.data;
  // A send must end well within its lease, or another worker may take the row over and send it again.
  if (env.DELIVERY_LEASE_MS < 2 * env.JOINCHAT_TIMEOUT_MS) {
    throw new ConfigError(
      `DELIVERY_LEASE_MS must be at least twice JOINCHAT_TIMEOUT_MS (got ${env.DELIVERY_LEASE_MS} and ${env.JOINCHAT_TIMEOUT_MS}): a send must end well within its lease, or another worker may send it again`,
    );
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.ROLE !== "worker" && env.METRICS_PORT === env.PORT) {
    throw new ConfigError(`METRICS_PORT must differ from PORT (both ${env.PORT}): this process already serves HTTP on PORT`);
  }
  const missingForShopify = (["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"] as const).filter((k) => !env[k]);
  return {
    ...env,
    appUrl: env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT}`,
    provider: providerOf(env.DATABASE_URL),
    missingForShopify,
  };
}
