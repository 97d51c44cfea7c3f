import type { Db } from "./db";

/** JoinChat unreachable, as the delivery workers last saw it. */
export interface JoinChatOutage {
  since: Date;
  lastError: string;
  lastProbeAt: Date;
}

/** An outage no worker has tried JoinChat about for this long says nothing any more (the workers stopped). */
export const STALE_OUTAGE_MS = 5 * 60_000;

const ROW = 1;

/**
 * The one row that says JoinChat is unreachable (table JoinChatOutage): written by the worker that
 * finds it down, kept current by its probes, removed by the first send that goes through. A web
 * process reads it for /healthz, the metrics and the admin.
 */
export class JoinChatOutageStore {
  constructor(private readonly db: Db) {}

  /** The outage in progress, or null; a row whose last probe is older than STALE_OUTAGE_MS counts as none. */
  async current(now: Date): Promise<JoinChatOutage | null> {
    const row = await this.db.joinChatOutage.findUnique({ where: { id: ROW } });
    return row && now.getTime() - row.lastProbeAt.getTime() < STALE_OUTAGE_MS ? row : null;
  }

  /** Records a failed try during the outage; the outage keeps the earliest `since` any worker saw. */
  async failed(since: Date, lastError: string, at: Date): Promise<void> {
    const row = await this.db.joinChatOutage.findUnique({ where: { id: ROW } });
    const stale = !row || at.getTime() - row.lastProbeAt.getTime() >= STALE_OUTAGE_MS;
    const keptSince = stale || since < row.since ? since : row.since;
    await this.db.joinChatOutage.upsert({
      where: { id: ROW },
      create: { id: ROW, since, lastError, lastProbeAt: at },
      update: { since: keptSince, lastError, lastProbeAt: at },
    });
  }

  /** JoinChat answered again. */
  async ended(): Promise<void> {
    await this.db.joinChatOutage.deleteMany({ where: { id: ROW } });
  }
}
