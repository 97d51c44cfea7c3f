import { appScopesUpdate, appUninstalled, customerRedact, dataRequest, shopRedact } from "./compliance";
import { mergeOutcomes, skipped, type EventHandler, type Registration } from "../automations/contract";
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
 * A topic's route: the payload read through each answering automation's schema, once per
 * schema, before its handler (as octokit/webhooks types each event), and their outcomes merged
 * into the event's one (mergeOutcomes). A payload that does not fit a schema is that handler's
 * skip, with the schema's reason; a handler never parses.
 */
function route(registrations: readonly Registration<unknown>[]): HandlerEntry {
  return {
    needsShop: true,
    handle: async (e) => {
      const reads = new Map<unknown, ReturnType<typeof readPayload<unknown>>>();
      const outcomes = [];
      for (const r of registrations) {
        const read = reads.get(r.schema) ?? readPayload(r.schema, e.payload);
        reads.set(r.schema, read);
        outcomes.push(read.ok ? await r.handle({ ...e, payload: read.value }) : skipped(read.reason));
      }
      return mergeOutcomes(outcomes);
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
  // Every automation's handler, as each registered itself against its catalog entry (src/automations/contract.ts `on`),
  // in the registry's order: a topic several automations answer runs them in turn.
  const byTopic = new Map<string, Registration<unknown>[]>();
  for (const r of REGISTRATIONS) for (const topic of r.topics) byTopic.set(topic, [...(byTopic.get(topic) ?? []), r]);
  for (const [topic, registrations] of byTopic) {
    if (table[topic]) throw new Error(`${topic} is the app's own topic, not an automation's`);
    table[topic] = route(registrations);
  }
  const missing = KNOWN_TOPICS.filter((t) => !table[t]);
  const unknown = Object.keys(table).filter((t) => !(KNOWN_TOPICS as readonly string[]).includes(t));
  if (missing.length || unknown.length) throw new Error(`topics without a handler: ${missing.join(", ") || "none"}; handlers of unknown topics: ${unknown.join(", ") || "none"}`);
  return table as Record<KnownTopic, HandlerEntry>;
}
