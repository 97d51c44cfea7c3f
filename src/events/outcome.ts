import type { PlannedDelivery } from "../delivery/plan";

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
  /** Scheduled messages about these subjects (a checkout, an order) to cancel, with the reason. */
  cancel?: { subjectKey: string; reason: string }[];
}

export const skipped = (note: string): EventOutcome => ({ state: "skipped", note });
export const processed = (note?: string): EventOutcome => ({ state: "processed", note });
