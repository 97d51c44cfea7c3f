import type { AppContext } from "../context";
import type { Logger } from "../log";
import type { StoredEvent } from "../store/events";
import type { ShopRecord } from "../store/shops";
import { appUninstalled, customerRedact, dataRequest, shopRedact } from "./compliance";
import type { EventOutcome } from "./outcome";
import type { KnownTopic } from "./topics";

/** Everything a handler sees of one event: no HTTP, only the domain. */
export interface EventContext {
  ctx: AppContext;
  event: StoredEvent;
  payload: Record<string, unknown>;
  /** The shop's settings; null when the shop has none (handlers that need them are not called then). */
  shop: ShopRecord | null;
  log: Logger;
}

export type EventHandler = (e: EventContext) => Promise<EventOutcome>;

interface HandlerEntry {
  handle: EventHandler;
  /** Whether the handler needs the shop's JoinChat settings; if they are missing the event is skipped. */
  needsShop: boolean;
}

/** Topic -> handler. A known topic without an entry yet is acknowledged and skipped. */
export const TOPIC_HANDLERS: Partial<Record<KnownTopic, HandlerEntry>> = {
  "customers/data_request": { handle: dataRequest, needsShop: false },
  "customers/redact": { handle: customerRedact, needsShop: false },
  "shop/redact": { handle: shopRedact, needsShop: false },
  "app/uninstalled": { handle: appUninstalled, needsShop: false },
};
