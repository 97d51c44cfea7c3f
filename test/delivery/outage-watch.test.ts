import { OUTAGE_AFTER_FAILURES, OutageWatch } from "../../src/delivery/outage";
import { attemptBudget } from "../../src/delivery/worker";

const at = (s: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, s));

describe("OutageWatch: JoinChat down for everyone, probed, not hammered", () => {
  it("is down only after OUTAGE_AFTER_FAILURES failures in a row, since the first of them", () => {
    const w = new OutageWatch(5_000);
    for (let i = 0; i < OUTAGE_AFTER_FAILURES - 1; i++) expect(w.failed("refused", at(i))).toBe(false);
    expect(w.down).toBeNull();
    expect(w.allowance(128, at(9))).toBe(128);
    expect(w.failed("refused", at(9))).toBe(true);
    expect(w.down).toEqual({ since: at(0), lastError: "refused" });
  });

  it("an answer in between starts the count again: random failures are not an outage", () => {
    const w = new OutageWatch(5_000);
    for (let i = 0; i < 100; i++) {
      if (i % 9 === 8) w.answered();
      else w.failed("503", at(i));
    }
    expect(w.down).toBeNull();
  });

  it("down, it allows one probe per interval and none while one is in flight", () => {
    const w = new OutageWatch(5_000);
    for (let i = 0; i < OUTAGE_AFTER_FAILURES; i++) w.failed("refused", at(0));
    expect(w.allowance(128, at(1))).toBe(0);
    expect(w.allowance(128, at(5))).toBe(1);
    w.probeStarted();
    expect(w.allowance(128, at(6))).toBe(0);
    w.failed("still refused", at(6));
    w.probeEnded();
    expect(w.allowance(128, at(10))).toBe(0);
    expect(w.allowance(128, at(11))).toBe(1);
    expect(w.down).toEqual({ since: at(0), lastError: "still refused" });
  });

  it("a probe decided without a send lets the next go at once; an answer ends the outage", () => {
    const w = new OutageWatch(5_000);
    for (let i = 0; i < OUTAGE_AFTER_FAILURES; i++) w.failed("refused", at(0));
    w.probeStarted();
    w.probeEnded();
    expect(w.allowance(128, at(5))).toBe(1);
    expect(w.answered()).toBe(true);
    expect(w.down).toBeNull();
    expect(w.allowance(128, at(5))).toBe(128);
    expect(w.answered()).toBe(false);
  });
});

describe("attemptBudget: the 100-try backstop does not cut a long retry horizon", () => {
  const createdAt = new Date(Date.UTC(2026, 11, 6));
  const hours = (h: number) => createdAt.getTime() + h * 3_600_000;

  it("covers every try the backoff makes before a 720-hour horizon (at most two an hour at the cap)", () => {
    expect(attemptBudget({ maxAttempts: 100, createdAt }, hours(720))).toBeGreaterThanOrEqual(2 * 720);
    // The default horizon (24 h) keeps the backstop as it was.
    expect(attemptBudget({ maxAttempts: 100, createdAt }, hours(24))).toBe(100);
  });

  it("a budget set lower on the row holds as set", () => {
    expect(attemptBudget({ maxAttempts: 3, createdAt }, hours(720))).toBe(3);
  });
});
