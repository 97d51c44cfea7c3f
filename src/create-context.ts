// Builds the AppContext (src/context.ts) once per process: the stores, the clients, the clock.
import type { Config } from "./config/env";
import type { Database } from "./store/db";
import type { Logger } from "./log";
import { systemClock, type Clock } from "./clock";
import type { AppContext } from "./context";
import { ShopStore } from "./store/shops";
import { JoinChatClient } from "./joinchat/client";
import { EventStore } from "./store/events";
import { DeliveryStore } from "./store/deliveries";
import { ComplianceStore } from "./store/compliance";
import { SessionStore } from "./store/sessions";
import { LinkStore } from "./store/links";
import { ResultsStore } from "./store/results";
import { ClickStore } from "./store/clicks";
import { CreditGrantStore } from "./store/credit-grants";
import { JoinChatOutageStore } from "./store/joinchat-outage";
import { ProxyBindingStore } from "./store/proxy-bindings";
import { createShopify } from "./shopify/api";
import { AdminGraphql } from "./shopify/admin-graphql";
import { OfflineTokens } from "./shopify/offline-tokens";

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
    clicks: new ClickStore(db),
    creditGrants: new CreditGrantStore(database),
    joinchatOutage: new JoinChatOutageStore(db),
    proxyBindings: new ProxyBindingStore(database),
    shopify,
    admin: shopify && new AdminGraphql(shopify, { onUnauthorized: (s) => tokens!.refreshAfterUnauthorized(s), onRevoked: (s) => tokens!.dropRevoked(s) }),
    tokens,
    joinchat: new JoinChatClient({ apiUrl: config.JOINCHAT_API_URL, timeoutMs: config.JOINCHAT_TIMEOUT_MS, retryAfterMaxMs: config.JOINCHAT_RETRY_AFTER_MAX_MS }),
  };
}
