/**
 * The handler contract, the one module both sides of it import: what an event handler gets (a
 * narrow context, the payload, the attempt number on the event) and what it returns (the
 * outcome, written by src/events/outcome-writer.ts). Handlers never see HTTP or the processor.
 */
import type { AppContext } from "../context";
import type { Logger } from "../log";
import type { z } from "zod";
import type { Message, Recipient } from "../messages/schema";
import type { AutomationName, DeliveryAutomation } from "../policy/automations";
import type { ReasonCode } from "../policy/reasons";
import type { PlannedDelivery } from "../store/delivery-plan";
import type { StoredEvent } from "../store/events";
import type { ShopRecord } from "../store/shops";

/**
 * An event whose handler keeps throwing is given up on (state failed) after this many tries: with
 * the default EVENT_RETRY_BASE_MS of 10 s, over about 20 minutes. A handler on its last try
 * (`event.attempts >= MAX_EVENT_ATTEMPTS`) may settle for a fallback instead of throwing.
 */
export const MAX_EVENT_ATTEMPTS = 8;

/**
 * Everything a handler sees of one event: no HTTP, only the domain. `payload` is already read
 * through its topic's schema (src/events/handlers.ts), so a handler never parses.
 */
export interface EventContext<P = Record<string, unknown>> {
  ctx: AppContext;
  event: StoredEvent;
  payload: P;
  /** The shop's settings; null when the shop has none (handlers that need them are not called then). */
  shop: ShopRecord | null;
  log: Logger;
}

export type EventHandler<P = Record<string, unknown>> = (e: EventContext<P>) => Promise<EventOutcome>;

/**
 * What handling one event comes to. The processor writes all of it, and the event's own new
 * state, in one transaction: an event is never marked done without the work it implies.
 */
export interface EventOutcome {
  state: "processed" | "skipped";
  /** Why it was skipped, or what was notable; never personal data. */
  note?: string;
  /** Messages to schedule; a key already scheduled is re-scheduled, never duplicated. */
  deliveries?: PlannedDelivery[];
  /**
   * Subjects (a checkout, an order) that are over: their scheduled messages are cancelled, and so
   * are any scheduled for them later (an event that arrives out of order), with the reason.
   */
  close?: { subjectKey: string; code: ReasonCode; reason: string; recovery?: RecoveredOrder }[];
  /** Scheduled messages of one automation to one recipient about other subjects, to cancel (a newer checkout supersedes). */
  supersede?: { recipient: Recipient; automation: PlannedDelivery["automation"]; keepSubjectKey: string; code: ReasonCode; reason: string };
  /**
   * An order, for the "window" attribution rule: counted (apart from the strict rule) when the same
   * customer or recipient had a recall sent within the longest window before it.
   */
  order?: RecoveredOrder & { customerId: string | null; recipient: Recipient | null };
  /** The subject's change this outcome applies (X-Shopify-Triggered-At): an older one arriving later is ignored. */
  version?: { subjectKey: string; triggeredAt: Date };
  /**
   * A message the merchant would expect that was not made (no one to send it to, the window
   * closed, the automation off): written as a `skipped` row of the delivery log, one per
   * automation and subject, so Deliveries and Results tell why. Gone once a later event about
   * the subject schedules the message after all.
   */
  unsent?: { automation: DeliveryAutomation; subjectKey: string; code: ReasonCode };
}

/** The order that closed a checkout: if a recall about that checkout was sent, the order counts as recovered. */
export interface RecoveredOrder {
  orderId: string;
  orderName: string | null;
  /** Decimal string at the currency's decimals. */
  total: string;
  currency: string;
  /** Whether the order is paid (orders/paid, or placed paid): Results count a pending order's revenue apart until it is. */
  paid: boolean;
}

export const skipped = (note: string): EventOutcome => ({ state: "skipped", note });
/** A skip of `automation`'s message about `subjectKey` the delivery log shows, why as a code (`note` keeps the detail). */
export const unsent = (automation: DeliveryAutomation, subjectKey: string, code: ReasonCode, note: string): EventOutcome => ({
  state: "skipped",
  note,
  unsent: { automation, subjectKey, code },
});
export const processed = (note?: string): EventOutcome => ({ state: "processed", note });

/**
 * One event's outcome from the outcomes of every automation answering its topic (orders/create:
 * the receipt and the payment reminder), in registration order: processed when any is, their
 * notes joined, their messages and closed subjects together. The facts an event has at most one
 * of (the order, the subject's version, a supersession, an unsent row) come from the one that
 * gives them; two giving one is a bug in the registrations, thrown.
 */
export function mergeOutcomes(outcomes: readonly EventOutcome[]): EventOutcome {
  if (outcomes.length === 1) return outcomes[0]!;
  const notes = [...new Set(outcomes.map((o) => o.note).filter((n): n is string => !!n))];
  const one = <K extends "order" | "version" | "supersede" | "unsent">(k: K) => {
    const given = outcomes.filter((o) => o[k]);
    if (given.length > 1) throw new Error(`two automations of one topic both gave the event's ${k}`);
    return given.length ? { [k]: given[0]![k] } : {};
  };
  return {
    state: outcomes.some((o) => o.state === "processed") ? "processed" : "skipped",
    ...(notes.length ? { note: notes.join("; ") } : {}),
    ...(outcomes.some((o) => o.deliveries) ? { deliveries: outcomes.flatMap((o) => o.deliveries ?? []) } : {}),
    ...(outcomes.some((o) => o.close) ? { close: outcomes.flatMap((o) => o.close ?? []) } : {}),
    ...one("order"),
    ...one("version"),
    ...one("supersede"),
    ...one("unsent"),
  };
}

/** The admin's preview of an automation: its message for a sample event, and the other shapes it takes (a cart of several items). */
export interface SampleMessages {
  message: Message;
  alternatives: { label: string; message: Message }[];
}

/**
 * A handler registered against its catalog entry (src/policy/automations.ts) by name, with the
 * topics it answers, as probot's `app.on` does: src/events/handlers.ts routes each topic to it,
 * reading the payload through `schema` first. `preview` builds its message for the admin from a
 * sample event of its own, with the shop's texts (src/automations/preview.ts adds the checks).
 */
export interface Registration<P = never, T extends string = string> {
  automation: AutomationName;
  /** The webhook topics it answers: the app's subscriptions are these and its own (src/events/topics.ts). */
  topics: readonly T[];
  schema: z.ZodType<P>;
  handle: EventHandler<P>;
  /** `step`: of an automation that sends a sequence (the recalls), which of it (1 the first); the others have one message. */
  preview(shop: ShopRecord, step?: number): SampleMessages;
}

export function on<P, const T extends string>(
  automation: AutomationName,
  topics: readonly T[],
  schema: z.ZodType<P>,
  handle: EventHandler<P>,
  preview: Registration<P>["preview"],
): Registration<P, T> {
  return { automation, topics, schema, handle, preview };
}
