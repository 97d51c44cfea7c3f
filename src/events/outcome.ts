import type { PlannedDelivery } from "../delivery/plan";
import type { Recipient } from "../messages/schema";

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
  close?: { subjectKey: string; reason: string; recovery?: RecoveredOrder }[];
  /** Scheduled messages of one automation to one recipient about other subjects, to cancel (a newer checkout supersedes). */
  supersede?: { recipient: Recipient; automation: PlannedDelivery["automation"]; keepSubjectKey: string; reason: string };
  /** The subject's change this outcome applies (X-Shopify-Triggered-At): an older one arriving later is ignored. */
  version?: { subjectKey: string; triggeredAt: Date };
}

/** The order that closed a checkout: if a recall about that checkout was sent, the order counts as recovered. */
export interface RecoveredOrder {
  orderId: string;
  orderName: string | null;
  /** Decimal string at the currency's decimals. */
  total: string;
  currency: string;
}

export const skipped = (note: string): EventOutcome => ({ state: "skipped", note });
export const processed = (note?: string): EventOutcome => ({ state: "processed", note });
