/** Claims of due work are timed by the database's clock ("database"), or by a given time (a test's clock). */
export type ClaimTime = Date | "database";

/** Injectable time, so schedules are tested without sleeping. */
export interface Clock {
  now(): Date;
  /**
   * The time claims of due work and their leases go by: "database" (the database's own clock, one
   * for every process, whatever each process's clock says) or, for a test's clock, its own time.
   */
  claimTime(): ClaimTime;
}
export const systemClock: Clock = { now: () => new Date(), claimTime: () => "database" };
