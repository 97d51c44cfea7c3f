import type { Config } from "./config/env";
import type { Database, Db } from "./store/db";
import type { Provider } from "./config/database-url";
import type { Logger } from "./log";
import type { ShopStore } from "./store/shops";
import type { JoinChatClient } from "./joinchat/client";
import type { EventStore } from "./store/events";
import type { DeliveryStore } from "./store/deliveries";
import type { ComplianceStore } from "./store/compliance";
import type { SessionStore } from "./store/sessions";
import type { LinkStore } from "./store/links";
import type { ResultsStore } from "./store/results";
import type { ClickStore } from "./store/clicks";
import type { CreditGrantStore } from "./store/credit-grants";
import type { JoinChatOutageStore } from "./store/joinchat-outage";
import type { ProxyBindingStore } from "./store/proxy-bindings";
import type { Shopify } from "@shopify/shopify-api";
import type { AdminGraphql } from "./shopify/admin-graphql";
import type { OfflineTokens } from "./shopify/offline-tokens";

import type { Clock } from "./clock";

/**
 * What every layer is handed: configuration, the database's stores, the clock and the logger.
 * The one module any layer may import; it imports only types (the layer check in
 * test/architecture holds it to that), and src/create-context.ts builds it.
 */
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
  clicks: ClickStore;
  /** The welcome message's store-credit grants, one per customer. */
  creditGrants: CreditGrantStore;
  /** JoinChat unreachable, as the delivery workers last saw it. */
  joinchatOutage: JoinChatOutageStore;
  /** The uuid each signed app-proxy query was first used with, shared by every process. */
  proxyBindings: ProxyBindingStore;
  /** @shopify/shopify-api, configured once; null until the app's credentials are set. */
  shopify: Shopify | null;
  /** Admin GraphQL calls with Shopify's cost-based throttle respected; null with no credentials. */
  admin: AdminGraphql | null;
  /** The shops' expiring offline tokens: exchanged, refreshed, migrated; null with no credentials. */
  tokens: OfflineTokens | null;
  joinchat: JoinChatClient;
}
