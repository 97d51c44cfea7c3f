import { appScopesUpdate, appUninstalled, customerRedact, dataRequest, shopRedact } from "./compliance";
import type { z } from "zod";
import { skipped, type EventHandler } from "../automations/contract";
import { REGISTRATIONS } from "../automations/registry";
import { readPayload } from "../automations/payloads";
import { KNOWN_TOPICS, type KnownTopic } from "./topics";

interface HandlerEntry {
  /** Reads the payload through the topic's schema, then hands it, typed, to the handler. */
  handle: EventHandler;
  /** Whether the handler needs the shop's JoinChat settings; if they are missing the event is skipped. */
  needsShop: boolean;
}

/**
 * A topic's route: the schema its payload is read with, once, before the handler (as
 * octokit/webhooks types each event), and the handler that gets the typed value. A payload that
 * does not fit is skipped with the schema's reason; the handler never parses.
 */
function route<P>(schema: z.ZodType<P>, handle: EventHandler<P>, needsShop = true): HandlerEntry {
  return {
    needsShop,
    handle: async (e) => {
      const read = readPayload(schema, e.payload);
      return read.ok ? handle({ ...e, payload: read.value }) : skipped(read.reason);
    },
  };
}

/** The compliance and app topics read what they need of the raw payload themselves. */
const raw = (handle: EventHandler): HandlerEntry => ({ handle, needsShop: false });

/** Topic -> schema and handler: every topic the app subscribes to has exactly one (checked when loaded). */
export const TOPIC_HANDLERS = routes();

function routes(): Record<KnownTopic, HandlerEntry> {
  const table: Partial<Record<string, HandlerEntry>> = {
    "customers/data_request": raw(dataRequest),
    "customers/redact": raw(customerRedact),
    "shop/redact": raw(shopRedact),
    "app/uninstalled": raw(appUninstalled),
    "app/scopes_update": raw(appScopesUpdate),
  };
  // Every automation's handler, as each registered itself against its catalog entry (src/automations/contract.ts `on`).
  for (const r of REGISTRATIONS)
    for (const topic of r.topics) {
      if (table[topic]) throw new Error(`two handlers for ${topic}`);
      table[topic] = route(r.schema, r.handle);
    }
  const missing = KNOWN_TOPICS.filter((t) => !table[t]);
  const unknown = Object.keys(table).filter((t) => !(KNOWN_TOPICS as readonly string[]).includes(t));
  if (missing.length || unknown.length) throw new Error(`topics without a handler: ${missing.join(", ") || "none"}; handlers of unknown topics: ${unknown.join(", ") || "none"}`);
  return table as Record<KnownTopic, HandlerEntry>;
}
