import type { EventStore, IncomingEvent } from "../store/events";
import type { Clock } from "../clock";

/**
 * Group commit for webhook ingest: every event that arrives while the previous batch is being
 * written is stored by the next single statement, and each request is answered only once its
 * batch has committed. One transaction per batch instead of per webhook is what lets the app
 * acknowledge at the rate of a bare HMAC check (bench/README.md).
 */
/**
 * Batches may be handed over while earlier ones are being written: the writer never waits for the
 * event loop between two commits, and on SQLite it commits every batch that queued meanwhile
 * together (one fsync for all of them, sqlite-writer-thread.js). Each request still waits for the
 * commit that holds its event.
 */
const MAX_BATCHES_IN_FLIGHT = 8;

export class EventIngest {
  private queue: { event: IncomingEvent; resolve: (isNew: boolean) => void; reject: (err: unknown) => void }[] = [];
  /** Batches handed to the store and not yet committed. */
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly events: EventStore,
    private readonly clock: Clock,
    private readonly maxBatch = 200,
    /** Called after each committed batch that stored new events, so the processor can wake up. */
    private readonly onStored: () => void = () => {},
  ) {}

  /** Resolves true when the event was new, false when it was already stored; rejects if the write failed. */
  store(event: IncomingEvent): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight >= MAX_BATCHES_IN_FLIGHT || this.scheduled) return;
    this.scheduled = true;
    // setImmediate lets every request already read in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= MAX_BATCHES_IN_FLIGHT || this.queue.length === 0) return;
    this.inFlight++;
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      const isNew = await this.events.insertMany(
        batch.map((b) => b.event),
        this.clock.now(),
      );
      batch.forEach((b, i) => b.resolve(isNew[i]!));
      if (isNew.some(Boolean)) this.onStored();
    } catch (err) {
      for (const b of batch) b.reject(err);
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** Waits until everything queued so far is written (for shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  }
}
