import type { Config } from "./config/env";
import type { Database, Db } from "./store/db";
import type { Provider } from "./store/database-url";
import type { Logger } from "./log";
import { ShopStore } from "./store/shops";
import { JoinChatClient } from "./joinchat/client";
import { EventStore } from "./store/events";
import { DeliveryStore } from "./store/deliveries";
import { ComplianceStore } from "./store/compliance";
import { SessionStore } from "./store/sessions";
import { LinkStore } from "./store/links";
import { ResultsStore } from "./store/results";
import type { Shopify } from "@shopify/shopify-api";
import { createShopify } from "./shopify/api";
import { AdminGraphql } from "./shopify/admin-graphql";
import { OfflineTokens } from "./shopify/offline-tokens";

/** Injectable time, so schedules are tested without sleeping. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What every layer is handed: configuration, the database's stores, the clock and the logger. */
export interface AppContext {
  config: Config;
  /** The database itself: its writer and health probe, for what no store owns. */
  database: Database;
  db: Db;
  provider: Provider;
  log: Logger;
  clock: Clock;
  shops: ShopStore;
  events: EventStore;
  deliveries: DeliveryStore;
  compliance: ComplianceStore;
  sessions: SessionStore;
  links: LinkStore;
  results: ResultsStore;
  /** @shopify/shopify-api, configured once; null until the app's credentials are set. */
  shopify: Shopify | null;
  /** Admin GraphQL calls with Shopify's cost-based throttle respected; null with no credentials. */
  admin: AdminGraphql | null;
  /** The shops' expiring offline tokens: exchanged, refreshed, migrated; null with no credentials. */
  tokens: OfflineTokens | null;
  joinchat: JoinChatClient;
}

export function createContext(config: Config, database: Database, log: Logger, clock: Clock = systemClock): AppContext {
  const { db, provider } = database;
  const shopify = createShopify(config);
  const sessions = new SessionStore(db, config.ENCRYPTION_KEY);
  const shops = new ShopStore(db, config.ENCRYPTION_KEY);
  const tokens = shopify && new OfflineTokens(shopify, sessions, shops, clock, log);
  return {
    config,
    database,
    db,
    provider,
    log,
    clock,
    shops,
    events: new EventStore(database),
    deliveries: new DeliveryStore(database),
    compliance: new ComplianceStore(database),
    sessions,
    links: new LinkStore(database),
    results: new ResultsStore(db),
    shopify,
    admin: shopify && new AdminGraphql(shopify, { onUnauthorized: (s) => tokens!.refreshAfterUnauthorized(s) }),
    tokens,
    joinchat: new JoinChatClient({ apiUrl: config.JOINCHAT_API_URL, timeoutMs: config.JOINCHAT_TIMEOUT_MS, retryAfterMaxMs: config.JOINCHAT_RETRY_AFTER_MAX_MS }),
  };
}
