import type { EventOutcome } from "../automations/contract";
import type { Database, Statement } from "../store/db";
import type { StoredEvent } from "../store/events";
import { outcomeStatements } from "../store/sql/write-outcome";
import { DIALECTS } from "../store/sql/dialect";
import type { SearchFacts } from "./search-facts";

/** An event's outcome, handled and waiting to be written. */
export interface OutcomeToWrite {
  event: StoredEvent;
  /** The event's customer and traces, and what the merchant finds its messages by (search-facts.ts). */
  found: { customerId: string | null; traces: string | null; search?: SearchFacts };
  outcome: EventOutcome;
  at: Date;
}

/**
 * Writes what handling events came to, each with the event's new state (src/store/sql/write-outcome.ts):
 * all of them in one transaction, a group commit, as ingest stores webhooks. A batch the database
 * refuses is written again event by event, so an outcome it cannot hold fails only its own event.
 * An event is never marked done without the work it implies. Resolves, for each, to null when it
 * was written, or the database's error.
 */
export async function writeOutcomes(database: Database, batch: OutcomeToWrite[]): Promise<(Error | null)[]> {
  const dialect = DIALECTS[database.provider];
  const statementsOf = ({ event, found, outcome, at }: OutcomeToWrite) =>
    outcomeStatements(
      dialect,
      {
        eventId: event.id,
        shopDomain: event.shopDomain,
        customerId: found.customerId,
        traces: found.traces,
        search: found.search,
        ...outcome,
        note: outcome.note ?? null,
      },
      at,
    );
  const lists = batch.map((b) => {
    try {
      return statementsOf(b);
    } catch (err) {
      // A value no statement can carry (an invalid date): the event's own failure.
      return err as Error;
    }
  });
  const writable = lists.filter((l): l is Statement[] => !(l instanceof Error));
  if (writable.length === lists.length && writable.length > 0) {
    try {
      await database.writeAll(writable.flat());
      return batch.map(() => null);
    } catch (err) {
      if (batch.length === 1) return [err as Error];
    }
  }
  const results: (Error | null)[] = [];
  for (const list of lists) {
    if (list instanceof Error) results.push(list);
    else
      results.push(
        await database.writeAll(list).then(
          () => null,
          (err: Error) => err,
        ),
      );
  }
  return results;
}
