import type { ClaimTime, Clock } from "../../src/clock";

/** A clock the test moves by hand, so schedules are tested without sleeping. */
export class TestClock implements Clock {
  private t: number;
  constructor(start = Date.now()) {
    this.t = start;
  }
  now(): Date {
    return new Date(this.t);
  }
  /** Due work is claimed by this clock too, so moving it makes work due. */
  claimTime(): ClaimTime {
    return this.now();
  }
  advanceMinutes(minutes: number): void {
    this.t += minutes * 60_000;
  }
}
