import { z } from "zod";
import { DEFAULT_DATABASE_URL, providerOf } from "../store/database-url";

/** A configuration value that stops start-up; the message names the variable and what is wrong. */
export class ConfigError extends Error {
  readonly name = "ConfigError";
}

/** The minimum scopes the automations need: customers and orders to read, discounts for unique codes. */
export const DEFAULT_SCOPES = "read_customers,read_orders,read_checkouts,read_fulfillments,write_discounts";

const PRODUCTION_RETRY_BASE_MS = 5_000;

const blankAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

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
  ENCRYPTION_KEY: z.preprocess(blankAsUndefined, z.string().min(16, { message: "must be at least 16 characters (32 random bytes in hex or base64 is best)" }).optional()),
  ROLE: z.preprocess(blankAsUndefined, z.enum(["all", "web", "worker"], { message: "must be all, web or worker" }).default("all")),
  JOINCHAT_RETRY_BASE_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).default(PRODUCTION_RETRY_BASE_MS)),
  /** How long claimed work (a message, a stored event) stays with a process before another takes it over. */
  DELIVERY_LEASE_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(100).default(60_000)),
  JOINCHAT_TIMEOUT_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(100).default(10_000)),
  /** Proxies in front of the app (load balancer, Shopify's app proxy) whose X-Forwarded-For entry is believed. */
  TRUST_PROXY: z.preprocess(blankAsUndefined, z.coerce.number({ message: "must be a number of proxy hops (0 or more)" }).int().min(0).max(10).default(1)),
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
    const shown = source[name] === undefined ? "" : ` (got "${String(source[name]).slice(0, 60)}")`;
    throw new ConfigError(`${name} ${issue.message}${shown}`);
  }
  const env = parsed.data;
  const missingForShopify = (["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"] as const).filter((k) => !env[k]);
  return {
    ...env,
    appUrl: env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT}`,
    provider: providerOf(env.DATABASE_URL),
    missingForShopify,
  };
}
